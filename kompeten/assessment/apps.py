from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "kompeten.assessment"
    verbose_name = "Asesmen: keputusan K/BK, banding, sidang"
