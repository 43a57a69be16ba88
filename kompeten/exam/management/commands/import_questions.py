from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kompeten.exam.question_import import QuestionImportError, find_unit, import_questions
from kompeten.programs.models import Program


class Command(BaseCommand):
    help = "Impor soal satu unit kompetensi dari Excel (semua baris atau tidak sama sekali)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--program", required=True,
                            help="kode atau tahun penyelenggaraan (mis. 2019)")
        parser.add_argument("--unit", required=True, help="kode unit kompetensi")
        parser.add_argument("--dry-run", action="store_true", help="periksa saja")

    def handle(self, *args, file: Path, program: str, unit: str, dry_run: bool, **options):
        target = (Program.objects.filter(code=program).first()
                  or Program.objects.filter(year=int(program) if program.isdigit() else -1)
                  .order_by("-is_current", "-id").first())
        if target is None:
            raise CommandError(f"Penyelenggaraan {program} tidak ada.")
        if not file.is_file():
            raise CommandError(f"Berkas {file} tidak ada.")
        try:
            result = import_questions(unit=find_unit(program=target, code=unit),
                                      content=file.read_bytes(), filename=file.name, by=None,
                                      dry_run=dry_run)
        except QuestionImportError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(exc.message) from exc
        self.stdout.write(result.summary())
