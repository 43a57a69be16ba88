from django.apps import AppConfig


class MonevConfig(AppConfig):
    name = "kompeten.monev"
    verbose_name = "Monitoring dan evaluasi pascapelatihan"
