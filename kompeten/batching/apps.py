from django.apps import AppConfig


class BatchingConfig(AppConfig):
    name = "kompeten.batching"
    verbose_name = "Penempatan angkatan"

    def ready(self) -> None:
        from kompeten.batching.panels import register_panels
        from kompeten.batching.release import note_acceptance, release_seat
        from kompeten.registration.lifecycle import on_enter
        from kompeten.registration.models import Status

        on_enter(Status.WITHDRAWN, release_seat, order=30)
        on_enter(Status.ACCEPTED, note_acceptance, order=90)
        register_panels()
