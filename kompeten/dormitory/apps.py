from django.apps import AppConfig


class DormitoryConfig(AppConfig):
    name = "kompeten.dormitory"
    verbose_name = "Asrama"

    def ready(self) -> None:
        from kompeten.dormitory.panels import register_panels

        register_panels()
