"""E-mail as a background job (see kompeten/common/jobs.py for where it runs).

Every e-mail is an OutgoingMail row written in the caller's transaction: after the commit
a job sends it and records "sent" or "failed" with the error. A failure never breaks the
request that caused it and never disappears: the organiser sees it and sends it again.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kompeten.common.jobs import dispatch
from kompeten.common.models import MailStatus, OutgoingMail

log = logging.getLogger(__name__)


def clean_address(value: str) -> str:
    """One address, checked with Django's validator: no lists, no CR/LF (header injection),
    no display names. Surrounding spaces are dropped and the address is lower-cased."""
    address = (value or "").strip()
    if any(char in address for char in "\r\n,;") or not address:
        raise ValidationError(_("Tulis satu alamat e-mail saja, mis. nama@instansi.go.id."),
                              code="invalid_email")
    validate_email(address)
    return address.lower()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email(*, subject: str, body: str, to: list[str], reply_to: list[str] | None = None
               ) -> None:
    """Kept for jobs queued before OutgoingMail existed."""
    EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to,
                 reply_to=reply_to).send()


def queue_email(*, subject: str, body: str, to: list[str],
                reply_to: list[str] | None = None) -> OutgoingMail:
    """Record the e-mail and send it after the surrounding transaction commits (never for a
    rolled-back change). An invalid address raises ValidationError here, before the commit,
    so the change that wanted to send it is rolled back with it."""
    recipients = [clean_address(address) for address in to]
    mail = OutgoingMail.objects.create(subject=" ".join(subject.split())[:300], body=body,
                                       to=recipients,
                                       reply_to=[clean_address(a) for a in reply_to or []])
    dispatch(deliver, mail_id=mail.pk)
    return mail


@shared_task
def deliver(*, mail_id: int) -> None:
    """Send one recorded e-mail; a failure is stored on the row, not raised (the sender's
    request has long committed: the organiser retries from the page that shows it)."""
    mail = OutgoingMail.objects.filter(pk=mail_id).first()
    if mail is None or mail.status == MailStatus.SENT:
        return
    attempts = mail.attempts + 1
    try:
        EmailMessage(subject=mail.subject, body=mail.body,
                     from_email=settings.DEFAULT_FROM_EMAIL, to=mail.to,
                     reply_to=mail.reply_to or None).send()
    except Exception as exc:  # noqa: BLE001 - any failure is recorded for the organiser
        log.warning("e-mail %s to %s failed: %s", mail.pk, mail.to, exc)
        OutgoingMail.objects.filter(pk=mail.pk).update(
            status=MailStatus.FAILED, attempts=attempts,
            error=f"{type(exc).__name__}: {exc}"[:2000])
        return
    OutgoingMail.objects.filter(pk=mail.pk).update(status=MailStatus.SENT, attempts=attempts,
                                                   error="", sent_at=timezone.now())


@transaction.atomic
def retry(*, mail: OutgoingMail) -> OutgoingMail:
    """Queue a failed (or stuck) e-mail again."""
    mail = OutgoingMail.objects.select_for_update().get(pk=mail.pk)
    if mail.status == MailStatus.SENT:
        raise ValidationError(_("E-mail ini sudah terkirim."), code="already_sent")
    mail.status = MailStatus.QUEUED
    mail.save(update_fields=["status"])
    dispatch(deliver, mail_id=mail.pk)
    return mail
