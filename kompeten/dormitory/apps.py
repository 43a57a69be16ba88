from django.apps import AppConfig


class DormitoryConfig(AppConfig):
    name = "kompeten.dormitory"
    verbose_name = "Asrama"

    def ready(self) -> None:
        from kompeten.batching.services import on_batch_change
        from kompeten.dormitory.panels import register_panels
        from kompeten.dormitory.rooms import release_nights

        on_batch_change(release_nights)
        register_panels()
