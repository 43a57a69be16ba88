from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "kompeten.home"
    verbose_name = "Beranda dan data demo"

    def ready(self) -> None:
        from kompeten.home.panels import register_panels

        register_panels()
