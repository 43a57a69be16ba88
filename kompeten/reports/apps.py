from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "kompeten.reports"
    verbose_name = "Laporan penyelenggara"
