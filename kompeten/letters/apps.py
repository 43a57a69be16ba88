from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "kompeten.letters"
    verbose_name = "Surat pemberitahuan"

    def ready(self) -> None:
        from kompeten.letters.panels import register_panels

        register_panels()
