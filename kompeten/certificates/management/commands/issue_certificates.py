"""Issue the pending certificates of a programme (or one batch) from the command line."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from kompeten.certificates import services
from kompeten.certificates.models import IssueRun, Kind
from kompeten.programs.models import Batch, Program


class Command(BaseCommand):
    help = "Terbitkan sertifikat yang memenuhi syarat (idempoten: yang sudah terbit dilewati)."

    def add_arguments(self, parser):
        parser.add_argument("--program", required=True, help="kode atau tahun penyelenggaraan")
        parser.add_argument("--batch", type=int, help="nomor angkatan")
        parser.add_argument("--kind", choices=Kind.values, default=Kind.TRAINING)

    def handle(self, *args, program, batch, kind, **options):
        found = (Program.objects.filter(code=program).first()
                 or Program.objects.filter(Q(year=program) if program.isdigit() else Q(pk=None))
                 .order_by("code").first())
        if found is None:
            raise CommandError(f"Penyelenggaraan {program} tidak ditemukan.")
        batch_obj = None
        if batch is not None:
            batch_obj = Batch.objects.filter(program=found, number=batch).first()
            if batch_obj is None:
                raise CommandError(f"Angkatan {batch} tidak ditemukan di {found.code}.")
        run = IssueRun.objects.create(program=found, batch=batch_obj, kind=kind)
        run = services.run_issue(run_id=run.pk)
        self.stdout.write(f"{run.issued} sertifikat terbit, {run.skipped} dilewati "
                          f"({Kind(kind).label}, {found.code}"
                          f"{f', angkatan {batch}' if batch else ''}).")
        if run.merged_pdf:
            self.stdout.write(f"PDF gabungan: {run.merged_pdf.name}")
