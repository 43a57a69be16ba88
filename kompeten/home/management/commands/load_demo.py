from django.core.management.base import BaseCommand

from kompeten.home.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo
from kompeten.home.demo_registrations import EXAMPLES


class Command(BaseCommand):
    help = "Muat program 2019, populasi instansi demo dan satu akun demo per peran."

    def handle(self, *args, **options):
        summary = load_demo()
        self.stdout.write(
            f"Penyelenggaraan {summary['program_year']}: {summary['batches']} angkatan; "
            f"berjalan (salinan bertanggal sekarang): {summary['current_program']}; "
            f"{summary['agencies']} instansi ({summary['new_agencies']} baru); "
            f"{summary['new_users']} akun demo baru."
        )
        self.stdout.write(f"Akun demo (kata sandi untuk semua: {DEMO_PASSWORD}):")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.username:<14} {account.role.label}")
        self.stdout.write("Contoh rencana tindak lanjut (akun peserta):")
        for example in EXAMPLES:
            self.stdout.write(f"  {example.login:<18} {example.full_name} "
                              f"({example.level_code}, {example.agency_code})")
