from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "kompeten.participants"
    verbose_name = "Berkas peserta: profil, dokumen, riwayat pekerjaan"

    def ready(self) -> None:
        from kompeten.participants import checklist
        from kompeten.participants.panels import register_panels
        from kompeten.registration.checklist import register

        for rule in checklist.RULES:
            register(rule)
        register_panels()
