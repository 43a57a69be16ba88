from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kompeten.accounts"
    verbose_name = "Akun dan peran"
