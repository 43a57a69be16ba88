from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kompeten.programs.models import Program
from kompeten.programs.services import copy_program


class Command(BaseCommand):
    help = ("Salin penyelenggaraan (tahapan, angkatan, kuota, JP, kurikulum) ke tahun lain, "
            "tanggal digeser per minggu penuh: copy_program 2019 --to 2027")

    def add_arguments(self, parser):
        parser.add_argument("source", help="kode penyelenggaraan asal (mis. 2019)")
        parser.add_argument("--to", type=int, required=True, dest="year", help="tahun baru")
        parser.add_argument("--code", help="kode penyelenggaraan baru (bawaan: tahun baru)")
        parser.add_argument("--name", default="", help="nama baru (bawaan: nama asal)")

    def handle(self, *args, source: str, year: int, code: str | None, name: str, **options):
        try:
            origin = Program.objects.get(code=source)
        except Program.DoesNotExist as exc:
            raise CommandError(f"Penyelenggaraan {source} tidak ada.") from exc
        try:
            copy = copy_program(source=origin, year=year, code=code or str(year), name=name)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        first = copy.batches.order_by("start_date").first()
        self.stdout.write(
            f"Penyelenggaraan {copy.code} dibuat dari {origin.code}: "
            f"{copy.stages.count()} tahapan, {copy.batches.count()} angkatan"
            + (f", angkatan pertama {first.start_date:%A %d-%m-%Y}." if first else "."))
