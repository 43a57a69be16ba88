"""E-mail as a background job (see kompeten/common/jobs.py for where it runs).

Every e-mail is an OutgoingMail row (the outbox) written in the caller's transaction: after
the commit a job claims it (queued → sending, in the database, before the mail server is
called), sends it and records "sent" — or "failed" with the error. A failure never breaks
the request that caused it and never disappears: the organiser sees it and sends it again.
A second delivery of the job finds the row sending or sent and does nothing; a row left
"sending" by a worker that died is marked failed as uncertain by the reaper (it may have gone
out: a person decides whether to send it again). Bulk jobs give each mail a unique ``key``,
so running the job again does not queue a second copy.
"""

import email.message
import email.policy
import logging
import uuid
from email.header import Header
from email.utils import format_datetime, make_msgid

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kompeten.common.jobs import dispatch
from kompeten.common.models import MailStatus, OutgoingMail

log = logging.getLogger(__name__)


class _Message(email.message.EmailMessage):
    """A message of Python's current e-mail API that Django's backends can write: the SMTP
    backend asks for ``as_bytes(linesep="\r\n")``."""

    def as_bytes(self, unixfrom=False, policy=None, linesep=None):
        policy = policy or self.policy
        if linesep:
            policy = policy.clone(linesep=linesep)
        return super().as_bytes(unixfrom, policy=policy)


class StandardEmail(EmailMultiAlternatives):
    """Every e-mail the site sends (RFC 5322, RFC 2047 and MIME as mail clients expect):
    Date in the site's time zone (Asia/Jakarta, +0700) instead of -0000, a Message-ID on
    the site's domain (settings.SITE_DOMAIN) instead of the machine's name, headers folded
    by Python's current e-mail policy (no empty first line before an encoded subject), a
    text/plain part always, an HTML alternative when given, then the attachments."""

    def message(self) -> _Message:
        msg = _Message(policy=email.policy.default)
        subject = str(self.subject).replace("\r", " ").replace("\n", " ")
        if subject.isascii():
            msg["Subject"] = subject
        else:
            # Encoded words only (RFC 2047), folded by the header's own length: the current
            # policy would leave a space at a fold before an encoded word (a doubled space).
            msg.set_raw("Subject", Header(subject, "utf-8", header_name="Subject").encode())
        msg["From"] = self.extra_headers.get("From", self.from_email)
        if self.to:
            msg["To"] = ", ".join(map(str, self.to))
        if self.cc:
            msg["Cc"] = ", ".join(map(str, self.cc))
        if self.reply_to:
            msg["Reply-To"] = ", ".join(map(str, self.reply_to))
        msg["Date"] = format_datetime(timezone.localtime())
        msg["Message-ID"] = make_msgid(domain=settings.SITE_DOMAIN)
        for name, value in self.extra_headers.items():
            if name.lower() not in {"from", "to", "cc", "reply-to", "date", "message-id"}:
                msg[name] = value
        msg.set_content(self.body or "", charset="utf-8")
        for content, mimetype in self.alternatives:
            if mimetype == "text/html":
                msg.add_alternative(content, subtype="html", charset="utf-8")
        for attachment in self.attachments:
            filename, content, mimetype = attachment
            maintype, subtype = (mimetype or "application/octet-stream").split("/", 1)
            if isinstance(content, str):
                content = content.encode()
            msg.add_attachment(content, maintype=maintype, subtype=subtype,
                               filename=filename)
        return msg


def build_email(*, subject: str, body: str, to: list[str], html: str = "",
                reply_to: list[str] | None = None, connection=None,
                headers: dict[str, str] | None = None) -> StandardEmail:
    message = StandardEmail(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL,
                            to=to, reply_to=reply_to or None, connection=connection,
                            headers=headers)
    if html:
        message.attach_alternative(html, "text/html")
    return message


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
    build_email(subject=subject, body=body, to=to, reply_to=reply_to).send()


UNCERTAIN = ("Terputus saat dikirim ke server e-mail; mungkin sudah terkirim. Periksa ke "
             "penerima sebelum mengirim ulang.")


def queue_email(*, subject: str, body: str, to: list[str], html: str = "",
                reply_to: list[str] | None = None, key: str | None = None) -> OutgoingMail:
    """Record the e-mail and send it after the surrounding transaction commits (never for a
    rolled-back change). An invalid address raises ValidationError here, before the commit,
    so the change that wanted to send it is rolled back with it.

    ``key`` names the mail within its job (unique): queueing a key again returns the mail
    already recorded and sends nothing, so a job that runs twice mails once."""
    recipients = [clean_address(address) for address in to]
    if key is not None and (existing := OutgoingMail.objects.filter(key=key).first()):
        return existing
    try:
        with transaction.atomic():
            mail = OutgoingMail.objects.create(
                key=key or f"mail:{uuid.uuid4().hex}", subject=" ".join(subject.split())[:300],
                body=body, html_body=html, to=recipients,
                reply_to=[clean_address(a) for a in reply_to or []])
    except IntegrityError:
        existing = OutgoingMail.objects.filter(key=key).first() if key else None
        if existing is None:
            raise
        return existing  # another run of the same job queued it a moment ago
    dispatch(deliver, mail_id=mail.pk)
    return mail


@shared_task
def deliver(*, mail_id: int) -> None:
    """Send one recorded e-mail; a failure is stored on the row, not raised (the sender's
    request has long committed: the organiser retries from the page that shows it)."""
    claimed = OutgoingMail.objects.filter(pk=mail_id, status=MailStatus.QUEUED).update(
        status=MailStatus.SENDING, claimed_at=timezone.now())
    if not claimed:  # sent, being sent, or failed: a repeated job does nothing
        return
    mail = OutgoingMail.objects.get(pk=mail_id)
    attempts = mail.attempts + 1
    try:
        build_email(subject=mail.subject, body=mail.body, html=mail.html_body, to=mail.to,
                    reply_to=mail.reply_to or None,
                    headers={"X-Kompeten-Key": mail.key or str(mail.pk)}).send()
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
    if mail.status == MailStatus.SENDING:
        raise ValidationError(_("E-mail ini sedang dikirim."), code="sending")
    mail.status = MailStatus.QUEUED
    mail.save(update_fields=["status"])
    dispatch(deliver, mail_id=mail.pk)
    return mail


def reap_stale_mails(*, older_than) -> int:
    """Mails left "sending" since before ``older_than`` (their worker died mid-send): failed,
    as uncertain, for a person to check and send again (never resent automatically)."""
    return OutgoingMail.objects.filter(status=MailStatus.SENDING,
                                       claimed_at__lt=older_than).update(
        status=MailStatus.FAILED, error=UNCERTAIN)
