import dataclasses

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q

from kompeten.batching import services as batching
from kompeten.batching.checker import check_program
from kompeten.batching.services import Summary, place_participants
from kompeten.programs.models import Level, Program

ALL_LEVELS = {"semua", "all"}


class Command(BaseCommand):
    help = ("Tempatkan peserta yang diterima ke angkatan jenjangnya (sebaran instansi, "
            "preferensi tanggal, daftar tunggu) lalu periksa hasilnya.")

    def add_arguments(self, parser):
        parser.add_argument("--program", required=True, help="kode penyelenggaraan (mis. 2019)")
        parser.add_argument("--level", required=True,
                            help='nama atau kode jenjang, mis. "Pengawas"; "semua" untuk '
                                 "setiap jenjang")
        parser.add_argument("--dry-run", action="store_true",
                            help="hitung dan tampilkan hasilnya tanpa menyimpan apa pun")
        parser.add_argument("--reset-unannounced", action="store_true",
                            help="hapus dulu penempatan otomatis yang belum diumumkan")

    def handle(self, *args, program: str, level: str, dry_run: bool = False,
               reset_unannounced: bool = False, **options):
        try:
            target = Program.objects.get(code=program)
        except Program.DoesNotExist as exc:
            raise CommandError(f"Penyelenggaraan {program} tidak ada.") from exc
        if level.strip().lower() in ALL_LEVELS:
            levels = list(Level.objects.filter(batches__program=target).distinct()
                          .order_by("order"))
        else:
            levels = list(Level.objects.filter(Q(name__iexact=level.strip())
                                               | Q(code__iexact=level.strip())))
            if not levels:
                names = ", ".join(Level.objects.order_by("order").values_list("name", flat=True))
                raise CommandError(f"Jenjang {level!r} tidak ada (pilihan: {names}).")
        with transaction.atomic():
            for chosen in levels:
                if reset_unannounced:
                    removed = batching.reset_unannounced(program=target, level=chosen)
                    self.stdout.write(f"{chosen.name}: {removed} penempatan belum diumumkan "
                                      "dihapus.")
                summary = place_participants(program=target, level=chosen)
                self._print(dataclasses.replace(summary, dry_run=dry_run))
            report = check_program(program=target, level=levels[0] if len(levels) == 1 else None)
            if dry_run:
                transaction.set_rollback(True)
        scope = levels[0].name if len(levels) == 1 else "semua jenjang"
        self.stdout.write(f"\nPemeriksaan {program} ({scope}): {report.placed} di angkatan, "
                          f"{report.waiting} di daftar tunggu.")
        if dry_run:
            self.stdout.write("Simulasi: tidak ada yang disimpan.")
        if not report.ok:
            for rule, label, count in report.problems():
                self.stderr.write(f"  {rule}: {count} ({label})")
            raise CommandError(f"Pemeriksaan menemukan {report.violations} pelanggaran.")
        self.stdout.write("Pemeriksaan: 0 pelanggaran aturan penempatan.")

    def _print(self, summary: Summary) -> None:
        self.stdout.write(f"\n{summary.level} {summary.program_year}"
                          + (" (simulasi)" if summary.dry_run else ""))
        self.stdout.write(f"{'angkatan':>8} {'tanggal':<23} {'terisi':>6} {'kapasitas':>9} "
                          f"{'baru':>5}")
        for row in summary.batches:
            dates = f"{row.start_date:%d-%m-%Y} s.d. {row.end_date:%d-%m-%Y}"
            self.stdout.write(f"{row.number:>8} {dates:<23} {row.filled:>6} {row.capacity:>9} "
                              f"{row.added:>5}")
        share = (f"{100 * summary.preference_share:.1f}% ({summary.preference_honoured} dari "
                 f"{summary.with_preference}; {summary.preference_possible} di antaranya punya "
                 "angkatan jenjangnya dalam rentang tanggal)"
                 if summary.preference_share is not None else "tidak ada preferensi")
        self.stdout.write(
            f"Ditempatkan baru: {summary.placed_new}; dari daftar tunggu: "
            f"{summary.from_waiting}; tetap di tempatnya: {summary.kept}; masuk daftar tunggu: "
            f"{summary.waiting_new}; daftar tunggu sekarang: {summary.waiting_total}; "
            f"dilepas (tidak lagi diterima): {summary.released}.")
        self.stdout.write(f"Preferensi tanggal instansi terpenuhi: {share}.")
