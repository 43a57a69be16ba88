from django.apps import AppConfig


class ElearningConfig(AppConfig):
    name = "kompeten.elearning"
    verbose_name = "E-learning: materi, forum, resume"

    def ready(self) -> None:
        from kompeten.elearning.panels import register_panels

        register_panels()
