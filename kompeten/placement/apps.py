from django.apps import AppConfig


class PlacementConfig(AppConfig):
    name = "kompeten.placement"
    verbose_name = "Penempatan angkatan, rumpun dan asrama"
