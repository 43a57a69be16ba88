from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "kompeten.letters"
    verbose_name = "Surat pemberitahuan"

    def ready(self) -> None:
        from kompeten.letters.panels import register_panels

        register_panels()
        # Letters left "sending" by a run that died, also under a cancelled job.
        from kompeten.common.jobs import register_reaper
        from kompeten.letters.services import recover_stale_letters

        register_reaper(recover_stale_letters)
