from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.management.base import BaseCommand, CommandError
from django.db.models import FileField

from kompeten.common.storage import private_storage


def stored_names() -> list[str]:
    """Every file name that a file field of any model records (sorted, without blanks)."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, FileField):
                names.update(model._default_manager.exclude(**{field.name: ""})
                             .exclude(**{f"{field.name}__isnull": True})
                             .values_list(field.name, flat=True).iterator())
    return sorted(names)


class Command(BaseCommand):
    help = ("Copy the files that the database records from the local disk (PRIVATE_MEDIA_ROOT "
            "or --source) to the configured private storage, e.g. the S3 bucket. Idempotent: "
            "a file already there is skipped. Prints the counts.")

    def add_arguments(self, parser):
        parser.add_argument("--source", default=str(settings.MEDIA_ROOT),
                            help="the local folder the files are in (default PRIVATE_MEDIA_ROOT)")

    def handle(self, *args, source: str, **options):
        target = private_storage()
        source_dir = Path(source).resolve()
        if isinstance(target, FileSystemStorage) and \
                Path(target.location).resolve() == source_dir:
            raise CommandError("The private storage is this local folder already: set "
                               "AWS_STORAGE_BUCKET_NAME (and the endpoint) first.")
        local = FileSystemStorage(location=source_dir)
        copied = skipped = missing = 0
        for name in stored_names():
            if target.exists(name):
                skipped += 1
                continue
            if not local.exists(name):
                missing += 1
                self.stderr.write(f"missing on disk: {name}")
                continue
            with local.open(name, "rb") as handle:
                saved = target.save(name, handle)
            if saved != name:  # the storage renamed it: the database would not find it
                raise CommandError(f"{name} was stored as {saved}")
            copied += 1
        self.stdout.write(f"copied {copied}, already there {skipped}, missing on disk {missing}")
