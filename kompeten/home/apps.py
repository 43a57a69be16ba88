from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "kompeten.home"
    verbose_name = "Beranda dan data demo"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from kompeten.classroom.models import Publication
        from kompeten.common.pagecache import receiver
        from kompeten.home.panels import register_panels

        register_panels()
        # The public home links to the class lists once they are published.
        bump_public = receiver("public")
        post_save.connect(bump_public, sender=Publication, dispatch_uid="public-save-publication",
                          weak=False)
        post_delete.connect(bump_public, sender=Publication, weak=False,
                            dispatch_uid="public-delete-publication")
