from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "kompeten.programs"
    verbose_name = "Program dan data induk"
