from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "kompeten.common"
    verbose_name = "Plumbing bersama (e-mail, unggahan, panel beranda)"

    def ready(self) -> None:
        from kompeten.common import datachange
        # Every database connection notices its writes (the logged-in page cache's version).
        datachange.connect()
