"""Periodic work of the exam: closing attempts past their deadline."""

from celery import shared_task


@shared_task
def close_due_attempts() -> int:
    """Every minute (Celery beat, kompeten/celery.py; or cron: `manage.py close_due_attempts`)."""
    from kompeten.exam.services import close_due_attempts as close

    return close()
