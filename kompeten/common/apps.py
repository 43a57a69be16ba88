from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "kompeten.common"
    verbose_name = "Plumbing bersama (e-mail, unggahan, panel beranda)"
