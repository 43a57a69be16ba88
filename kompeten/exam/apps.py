from django.apps import AppConfig


class ExamConfig(AppConfig):
    name = "kompeten.exam"
    verbose_name = "Uji kompetensi: bank soal dan ujian tertulis"
