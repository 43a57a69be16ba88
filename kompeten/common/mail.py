"""E-mail as a background job (see kompeten/common/jobs.py for where it runs)."""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage

from kompeten.common.jobs import dispatch


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email(*, subject: str, body: str, to: list[str], reply_to: list[str] | None = None
               ) -> None:
    EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to,
                 reply_to=reply_to).send()


def queue_email(*, subject: str, body: str, to: list[str]) -> None:
    """Send outside the request, after the surrounding transaction commits (never for a
    rolled-back change)."""
    dispatch(send_email, subject=subject, body=body, to=to)
