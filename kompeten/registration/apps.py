from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "kompeten.registration"
    verbose_name = "Usulan dan pendaftaran"
