from django.core.management.base import BaseCommand

from kompeten.common import jobs


class Command(BaseCommand):
    help = ("Queue again (and hand to Celery again) the background jobs whose worker died, and "
            "mark e-mails left half-sent as uncertain. For cron, every minute, where no Celery "
            "beat runs; the run_jobs worker does it by itself.")

    def handle(self, *args, **options):
        result = jobs.reap()
        self.stdout.write(f"requeued {result.requeued}, handed over again {result.redispatched}, "
                          f"e-mails uncertain {result.mails_uncertain}, units {result.units}")
