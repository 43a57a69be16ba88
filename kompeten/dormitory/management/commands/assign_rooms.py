import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from kompeten.dormitory.checker import ROOM_RULES, check_rooms
from kompeten.dormitory.rooms import assign_rooms
from kompeten.programs.models import Program


class Command(BaseCommand):
    help = ("Susun kamar asrama per malam untuk peserta yang sudah ditempatkan di angkatan "
            "(laki-laki dan perempuan tidak sekamar).")

    def add_arguments(self, parser):
        parser.add_argument("--program", required=True, help="kode penyelenggaraan (mis. 2019)")
        parser.add_argument("--night", action="append", type=dt.date.fromisoformat,
                            help="hanya malam ini (TTTT-BB-HH); boleh diulang")

    def handle(self, *args, program: str, night=None, **options):
        try:
            target = Program.objects.get(code=program)
        except Program.DoesNotExist as exc:
            raise CommandError(f"Penyelenggaraan {program} tidak ada.") from exc
        summary = assign_rooms(program=target, nights=night)
        self.stdout.write(f"Asrama {program}: {summary.rooms_available} kamar dipakai.")
        self.stdout.write(f"{'malam':<12} {'L':>5} {'P':>5} {'orang':>6} {'kamar':>6} "
                          f"{'sendiri':>8} {'tetap':>6} {'tanpa kamar':>12}")
        for row in summary.nights:
            self.stdout.write(
                f"{row.night.isoformat():<12} {row.people.get('L', 0):>5} "
                f"{row.people.get('P', 0):>5} {row.total:>6} {row.rooms_used:>6} "
                f"{row.singles:>8} {row.kept:>6} {row.unassigned_count:>12}")
        self.stdout.write(f"{len(summary.nights)} malam, {summary.assignments} tempat tidur "
                          f"terisi, {summary.unassigned_count} orang-malam tanpa kamar.")
        if summary.unassigned_count:
            self.stdout.write(self.style.WARNING(
                "Kamar tidak cukup: tambahkan kamar lalu jalankan lagi."))
        violations = {rule: n for rule, n in check_rooms(program=target).items() if n}
        if violations:
            for rule, count in violations.items():
                self.stderr.write(f"  {rule}: {count} ({ROOM_RULES[rule]})")
            raise CommandError("Pemeriksaan kamar menemukan pelanggaran.")
        self.stdout.write("Pemeriksaan: 0 pelanggaran aturan kamar.")
