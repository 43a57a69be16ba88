from django.apps import AppConfig


class ExamConfig(AppConfig):
    name = "kompeten.exam"
    verbose_name = "Uji kompetensi: bank soal dan ujian tertulis"

    def ready(self) -> None:
        from kompeten.access.rules import ORGANISER, PARTICIPANT, Permission, register_permissions
        from kompeten.accounts.models import Role
        from kompeten.exam.panels import register_panels

        register_permissions({
            "exam.bank": Permission(ORGANISER),
            "exam.supervise": Permission(ORGANISER | {Role.ASSESSOR}),
            "exam.take": Permission(PARTICIPANT),
            "exam.image": Permission(ORGANISER | PARTICIPANT | {Role.ASSESSOR}),
        })
        register_panels()
