"""Periodic plumbing run by Celery beat (kompeten/celery.py) or cron (README)."""

from celery import shared_task
from django.core.management import call_command


@shared_task
def clear_sessions() -> None:
    """Expired sessions out of the database (Django's `clearsessions`), nightly."""
    call_command("clearsessions")
