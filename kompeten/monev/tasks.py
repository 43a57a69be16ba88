"""The daily monev run (Celery beat, kompeten/celery.py; or cron:
`manage.py send_monev_invitations`)."""

from celery import shared_task


@shared_task
def send_monev_invitations() -> dict:
    from dataclasses import asdict

    from kompeten.monev.waves import send_due

    return asdict(send_due())
