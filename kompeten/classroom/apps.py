from django.apps import AppConfig


class ClassroomConfig(AppConfig):
    name = "kompeten.classroom"
    verbose_name = "Kelas: pengumuman dan dokumen kelas"

    def ready(self) -> None:
        from kompeten.classroom.panels import register_panels

        register_panels()
