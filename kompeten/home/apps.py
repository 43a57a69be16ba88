from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "kompeten.home"
    verbose_name = "Beranda dan data demo"
