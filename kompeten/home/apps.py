from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "kompeten.home"
    verbose_name = "Beranda dan data demo"

    def ready(self) -> None:
        from kompeten.classroom.models import Publication
        from kompeten.common import datachange
        from kompeten.home.panels import register_panels

        register_panels()
        # The public home links to the class lists once they are published.
        datachange.watch("public", Publication)
