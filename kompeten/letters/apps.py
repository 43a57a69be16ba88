from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "kompeten.letters"
    verbose_name = "Surat pemberitahuan"
