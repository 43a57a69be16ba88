from django.apps import AppConfig


class RumpunConfig(AppConfig):
    name = "kompeten.rumpun"
    verbose_name = "Rumpun (kelompok topik)"
