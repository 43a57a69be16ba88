from django.apps import AppConfig


class DormitoryConfig(AppConfig):
    name = "kompeten.dormitory"
    verbose_name = "Asrama"

    def ready(self) -> None:
        from kompeten.batching.services import on_batch_change
        from kompeten.dormitory.panels import register_panels
        from kompeten.dormitory.release import release_beds
        from kompeten.dormitory.rooms import release_nights
        from kompeten.registration.lifecycle import on_enter
        from kompeten.registration.models import Status

        on_batch_change(release_nights)
        register_panels()
        on_enter(Status.WITHDRAWN, release_beds, order=10)
