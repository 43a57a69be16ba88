from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "kompeten.review"
    verbose_name = "Review riwayat pekerjaan dan rencana tindak lanjut"

    def ready(self) -> None:
        from kompeten.review.panels import register_panels

        register_panels()
