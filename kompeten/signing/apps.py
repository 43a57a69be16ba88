from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "kompeten.signing"
    verbose_name = "Tanda tangan elektronik (PAdES, VC-JWT)"

    def ready(self):
        from kompeten.signing import checks  # noqa: F401 - registers the system checks
