from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "kompeten.certificates"
    verbose_name = "Sertifikat"
