from django.apps import AppConfig

# What the public pages (home, schedule, calendar, .ics) show of this app: a write to any of
# these bumps the content version "public" (kompeten/common/pagecache.py). Writes that send
# no signal (queryset update, bulk_create) bump it in their service.
PUBLIC_MODELS = ("Program", "ProgramStage", "StageDate", "ProgramJP", "Level", "Batch")


class ProgramsConfig(AppConfig):
    name = "kompeten.programs"
    verbose_name = "Program dan data induk"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from kompeten.common.pagecache import receiver

        bump_public = receiver("public")
        for name in PUBLIC_MODELS:
            model = self.get_model(name)
            post_save.connect(bump_public, sender=model, weak=False,
                              dispatch_uid=f"public-save-{name}")
            post_delete.connect(bump_public, sender=model, weak=False,
                                dispatch_uid=f"public-delete-{name}")
