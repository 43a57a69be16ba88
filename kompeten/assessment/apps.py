from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "kompeten.assessment"
    verbose_name = "Asesmen: keputusan K/BK, banding, sidang"

    def ready(self) -> None:
        from kompeten.access.rules import ORGANISER, PARTICIPANT, Permission, register_permissions
        from kompeten.accounts.models import Role
        from kompeten.assessment.panels import register_panels
        from kompeten.assessment.selectors import serves

        register_permissions({
            "assessment.manage": Permission(ORGANISER),
            "assessment.assess": Permission(frozenset({Role.ASSESSOR})),
            "assessment.participate": Permission(PARTICIPANT),
            "assessment.report": Permission(ORGANISER | {Role.ASSESSOR}, serves),
        })
        register_panels()
