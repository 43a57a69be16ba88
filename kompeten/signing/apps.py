from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "kompeten.signing"
    verbose_name = "Tanda tangan elektronik (PAdES, VC-JWT)"
