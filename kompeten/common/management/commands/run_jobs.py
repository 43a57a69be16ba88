from django.core.management.base import BaseCommand

from kompeten.common import jobs


class Command(BaseCommand):
    help = ("Run background jobs queued in the database (the mode used when no Celery broker "
            "is configured; `make run` starts it). Run one worker per database.")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true",
                            help="run the jobs that are due now, then stop")
        parser.add_argument("--poll", type=float, default=1.0,
                            help="seconds between looks at the queue when it is empty")

    def handle(self, *args, once: bool, poll: float, **options):
        if once:
            count = jobs.run_pending()
            self.stdout.write(f"{count} job(s) run")
            return
        self.stdout.write("Background worker: waiting for jobs (Ctrl-C stops)")
        try:
            jobs.work(poll_seconds=poll)
        except KeyboardInterrupt:
            self.stdout.write("Background worker stopped")
