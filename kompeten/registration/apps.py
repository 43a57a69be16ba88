from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "kompeten.registration"
    verbose_name = "Pendaftaran"

    def ready(self) -> None:
        from kompeten.registration import checklist

        checklist.register(checklist.Rule("account", 10, checklist.account_items))
