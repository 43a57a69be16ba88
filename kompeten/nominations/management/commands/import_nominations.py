from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kompeten.nominations.excel_import import NominationImportError, import_nominations
from kompeten.programs.models import Program


class Command(BaseCommand):
    help = ("Impor usulan peserta dari berkas Excel penyelenggara (kolom kode_instansi wajib); "
            "semua baris atau tidak sama sekali.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="berkas .xlsx (templat usulan)")
        parser.add_argument("--program", required=True, help="kode penyelenggaraan (mis. 2019)")
        parser.add_argument("--dry-run", action="store_true",
                            help="periksa saja, tidak menyimpan apa pun")

    def handle(self, *args, file: Path, program: str, dry_run: bool, **options):
        try:
            target = Program.objects.get(code=program)
        except Program.DoesNotExist as exc:
            raise CommandError(f"Penyelenggaraan {program} tidak ada.") from exc
        if not file.is_file():
            raise CommandError(f"Berkas {file} tidak ditemukan.")
        try:
            result = import_nominations(program=target, content=file.read_bytes(),
                                        filename=file.name, by=None, agency=None,
                                        dry_run=dry_run)
        except NominationImportError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(exc.message) from exc
        self.stdout.write(result.summary())
