from django.core.management.base import BaseCommand

from kompeten.exam.services import close_due_attempts


class Command(BaseCommand):
    help = "Menutup percobaan ujian yang batas waktunya lewat (dengan jawaban tersimpan)."

    def handle(self, *args, **options) -> None:
        closed = close_due_attempts()
        self.stdout.write(f"{closed} percobaan ditutup.")
