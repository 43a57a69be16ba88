from django.apps import AppConfig

# What the public pages (home, schedule, calendar, .ics) show of this app: any write to these
# tables bumps the content version "public" (kompeten/common/pagecache.py).
PUBLIC_MODELS = ("Program", "ProgramStage", "StageDate", "ProgramJP", "Level", "Batch")


class ProgramsConfig(AppConfig):
    name = "kompeten.programs"
    verbose_name = "Program dan data induk"

    def ready(self) -> None:
        from kompeten.common import datachange

        datachange.watch("public", *(self.get_model(name) for name in PUBLIC_MODELS))
