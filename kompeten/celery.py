"""Celery app. With no CELERY_BROKER_URL, settings make tasks run in-process."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompeten.settings")
app = Celery("kompeten")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Only runs where a broker is configured (`celery -A kompeten beat`); without one, cron runs
# `manage.py send_forum_digests` and
# `manage.py send_monev_invitations` (README). Times are CELERY_TIMEZONE = TIME_ZONE (Asia/Jakarta).
app.conf.beat_schedule = {
    "send-forum-digests": {
        "task": "kompeten.elearning.tasks.send_forum_digests",
        "schedule": crontab(hour=6, minute=0),
    },
    # The server refuses late answers anyway; this closes attempts of those who left.
    "close-due-exam-attempts": {
        "task": "kompeten.exam.tasks.close_due_attempts",
        "schedule": 60.0,
    },
    "send-monev-invitations": {
        "task": "kompeten.monev.tasks.send_monev_invitations",
        "schedule": crontab(hour=7, minute=0),
    },
}
