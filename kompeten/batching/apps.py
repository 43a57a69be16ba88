from django.apps import AppConfig


class BatchingConfig(AppConfig):
    name = "kompeten.batching"
    verbose_name = "Penempatan angkatan"
