from django.apps import AppConfig


class RumpunConfig(AppConfig):
    name = "kompeten.rumpun"
    verbose_name = "Rumpun (kelompok topik)"

    def ready(self) -> None:
        from kompeten.registration.lifecycle import on_enter
        from kompeten.registration.models import Status
        from kompeten.rumpun.release import release_group

        on_enter(Status.WITHDRAWN, release_group, order=20)
