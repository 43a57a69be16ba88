from django.core.management.base import BaseCommand

from kompeten.elearning.services import queue_digests


class Command(BaseCommand):
    help = ("Kirim ringkasan forum e-learning: satu e-mail per peserta/fasilitator per angkatan "
            "berisi tulisan yang belum pernah dikirim (jalankan harian, mis. dari cron).")

    def handle(self, *args, **options):
        batches = queue_digests()
        self.stdout.write(f"Ringkasan forum dijadwalkan untuk {batches} angkatan.")
