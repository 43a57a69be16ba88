"""Cron: plan the waves, then send the invitations and reminders due today. Safe to run
again the same day (nothing is sent twice)."""

import datetime as dt

from django.core.management.base import BaseCommand

from kompeten.monev.waves import send_due


class Command(BaseCommand):
    help = "Kirim undangan dan pengingat monev yang jatuh tempo hari ini."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=dt.date.fromisoformat, default=None,
                            help="Tanggal acuan (YYYY-MM-DD); bawaan hari ini.")

    def handle(self, *args, date=None, **options):
        report = send_due(today=date)
        self.stdout.write(
            f"gelombang baru {report.waves_planned}, undangan baru "
            f"{report.invitations_created}, undangan terkirim {report.invitations_sent}, "
            f"pengingat terkirim {report.reminders_sent}")
