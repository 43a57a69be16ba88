from django.apps import AppConfig


class MonevConfig(AppConfig):
    name = "kompeten.monev"
    verbose_name = "Monitoring dan evaluasi pascapelatihan"

    def ready(self) -> None:
        from kompeten.access.rules import ORGANISER, PARTICIPANT, Permission, register_permissions
        from kompeten.accounts.models import Role
        from kompeten.monev.panels import register_panels

        def organiser_or_own(user, registration) -> bool:
            return user.role == Role.ORGANISER or registration.user_id == user.pk

        register_permissions({
            "monev.manage": Permission(ORGANISER),
            "monev.evidence": Permission(ORGANISER | PARTICIPANT, organiser_or_own),
        })
        register_panels()
