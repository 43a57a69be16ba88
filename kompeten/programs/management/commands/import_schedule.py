from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kompeten.programs.models import Program
from kompeten.programs.schedule_import import ScheduleFileError
from kompeten.programs.services import ScheduleImportRejected, import_schedule


class Command(BaseCommand):
    help = "Impor jadwal angkatan dari berkas CSV atau Excel (semua baris atau tidak sama sekali)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--program", required=True, help="kode penyelenggaraan (mis. 2019)")

    def handle(self, *args, file: Path, program: str, **options):
        try:
            target = Program.objects.get(code=program)
        except Program.DoesNotExist as exc:
            raise CommandError(f"Penyelenggaraan {program} tidak ada.") from exc
        if not file.is_file():
            raise CommandError(f"Berkas {file} tidak ditemukan.")
        try:
            result = import_schedule(program=target, content=file.read_bytes(), filename=file.name)
        except ScheduleFileError as exc:
            raise CommandError(str(exc)) from exc
        except ScheduleImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(exc.errors)} kesalahan; tidak ada angkatan yang diimpor."
            ) from exc
        self.stdout.write(
            f"Jadwal {program}: {result.created} angkatan baru, {result.updated} diperbarui."
        )
