from django.apps import AppConfig


class ActionPlansConfig(AppConfig):
    name = "kompeten.actionplans"
    verbose_name = "Rencana tindak lanjut"

    def ready(self) -> None:
        from kompeten.actionplans.checklist import RULE
        from kompeten.actionplans.panels import register_panels
        from kompeten.registration.checklist import register

        register(RULE)
        register_panels()
