from django.apps import AppConfig


class NominationsConfig(AppConfig):
    name = "kompeten.nominations"
    verbose_name = "Usulan peserta"

    def ready(self) -> None:
        from kompeten.nominations.panels import register_panels

        register_panels()
