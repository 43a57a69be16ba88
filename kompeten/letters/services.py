"""Writes of the letters app: settings, numbering, send jobs and the delivery of one letter."""

import contextlib
import logging

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kompeten.accounts.models import User
from kompeten.common.jobs import dispatch
from kompeten.common.mail import build_email
from kompeten.letters import content, pdf
from kompeten.letters.models import (
    ACTIVE_JOB_STATUSES,
    AnnouncementLetter,
    JobStatus,
    LetterSettings,
    LetterStatus,
    SendJob,
    SendScope,
)
from kompeten.programs.models import Agency, Program

log = logging.getLogger(__name__)

NO_EMAIL = "Instansi belum mempunyai alamat e-mail kontak (Data induk → Instansi)."
# Fields of LetterSettings that the organiser edits.
EDITABLE_FIELDS = ("number_format", "next_seq", "place", "letter_date", "subject", "attachment",
                   "letterhead_address", "addressee_central", "addressee_regional", "body",
                   "tembusan", "notes")


@transaction.atomic
def ensure_settings(*, program: Program) -> LetterSettings:
    """The programme's letter settings, created with the 2019 letter's texts on first use.

    The default date is that of the programme's first stage (the announcement).
    """
    existing = LetterSettings.objects.filter(program=program).first()
    if existing is not None:
        return existing
    first_stage = program.stages.order_by("number").first()
    letter_date = first_stage.date if first_stage else timezone.localdate()
    letter_settings, _created = LetterSettings.objects.get_or_create(
        program=program, defaults={"letter_date": letter_date})
    return letter_settings


def _used_max_seq(program: Program) -> int:
    return (AnnouncementLetter.objects.filter(program=program)
            .aggregate(m=Max("seq"))["m"] or 0)


@transaction.atomic
def update_settings(*, letter_settings: LetterSettings, changes: dict, by: User
                    ) -> LetterSettings:
    """Save the organiser's edits. Numbers already given stay as they are; the next
    sequence number may not go back to one already used."""
    locked = LetterSettings.objects.select_for_update().get(pk=letter_settings.pk)
    used = _used_max_seq(locked.program)
    next_seq = changes.get("next_seq", locked.next_seq)
    if next_seq is not None and next_seq <= used:
        raise ValidationError({"next_seq": _(
            "Nomor urut %(used)s sudah dipakai; nomor urut berikutnya minimal %(next)s.")
            % {"used": used, "next": used + 1}})
    for name in EDITABLE_FIELDS:
        if name in changes:
            setattr(locked, name, changes[name])
    locked.updated_by = by
    locked.full_clean(exclude=["program"])
    locked.save()
    return locked


@transaction.atomic
def issue_letters(*, program: Program, agencies) -> dict[int, AnnouncementLetter]:
    """Give each agency its letter of the programme, numbering those that have none.

    A number is assigned once: an agency that already has a letter keeps it. Sequence
    numbers continue after the highest one used, so none is ever given twice (the
    database enforces one letter per agency and unique numbers per programme).
    """
    letter_settings = LetterSettings.objects.select_for_update().get(
        pk=ensure_settings(program=program).pk)
    agency_ids = [a.pk if isinstance(a, Agency) else a for a in agencies]
    letters = {letter.agency_id: letter for letter in AnnouncementLetter.objects.filter(
        program=program, agency_id__in=agency_ids)}
    seq = max(letter_settings.next_seq, _used_max_seq(program) + 1)
    date = letter_settings.letter_date
    new = []
    for agency_id in agency_ids:
        if agency_id in letters:
            continue
        number = content.letter_number(number_format=letter_settings.number_format, seq=seq,
                                       date=date)
        new.append(AnnouncementLetter(program=program, agency_id=agency_id, seq=seq,
                                      number=number, date=date))
        seq += 1
    if new:
        AnnouncementLetter.objects.bulk_create(new)
        letters.update({letter.agency_id: letter for letter in AnnouncementLetter.objects.filter(
            program=program, agency_id__in=[letter.agency_id for letter in new])})
        letter_settings.next_seq = seq
        letter_settings.save(update_fields=["next_seq"])
    return letters


@transaction.atomic
def start_send_job(*, program: Program, by: User, scope: str = SendScope.UNSENT) -> SendJob:
    """Number the letters still missing, mark the targets pending and queue the sending.

    UNSENT targets every agency whose letter has not been sent (new or failed); ALL sends
    again to every agency. One job per programme runs at a time.
    """
    if SendJob.objects.filter(program=program, status__in=ACTIVE_JOB_STATUSES).exists():
        raise ValidationError(_("Pengiriman sebelumnya masih berjalan. Tunggu sampai selesai."))
    agencies = Agency.objects.order_by("name")
    if scope == SendScope.UNSENT:
        sent = AnnouncementLetter.objects.filter(program=program, status=LetterStatus.SENT)
        agencies = agencies.exclude(pk__in=sent.values("agency_id"))
    elif scope != SendScope.ALL:
        raise ValidationError(_("Pilihan sasaran pengiriman tidak dikenal."))
    agency_ids = list(agencies.values_list("pk", flat=True))
    if not agency_ids:
        raise ValidationError(_("Semua instansi sudah menerima surat pemberitahuan."))
    issue_letters(program=program, agencies=agency_ids)
    try:
        with transaction.atomic():
            job = SendJob.objects.create(program=program, created_by=by, scope=scope,
                                         total=len(agency_ids))
    except IntegrityError as exc:  # another organiser started one at the same moment
        raise ValidationError(
            _("Pengiriman sebelumnya masih berjalan. Tunggu sampai selesai.")) from exc
    AnnouncementLetter.objects.filter(program=program, agency_id__in=agency_ids).update(
        job=job, status=LetterStatus.PENDING, error="")
    from kompeten.letters.tasks import send_letters

    dispatch(send_letters, job_id=job.pk)
    return job


def _record(letter: AnnouncementLetter, job_id: int | None, *, ok: bool, error: str = "",
            sent_to: str = "", pdf_bytes: bytes | None = None) -> None:
    with transaction.atomic():
        letter.attempts = F("attempts") + 1
        letter.error = error[:500]
        if ok:
            old = letter.pdf.name if letter.pdf else ""
            letter.pdf.save(pdf.filename(agency_code=letter.agency.code,
                                         year=letter.program.year),
                            ContentFile(pdf_bytes), save=False)
            if old:
                letter.pdf.storage.delete(old)
            letter.status, letter.sent_at, letter.sent_to = LetterStatus.SENT, timezone.now(), \
                sent_to
        else:
            letter.status = LetterStatus.FAILED
        letter.save(update_fields=["attempts", "error", "pdf", "status", "sent_at", "sent_to"])
        if job_id is not None:
            counter = "sent" if ok else "failed"
            SendJob.objects.filter(pk=job_id).update(**{counter: F(counter) + 1})


def deliver_letter(*, letter: AnnouncementLetter, facts: content.ProgramFacts,
                   letter_settings: LetterSettings, connection=None) -> bool:
    """E-mail one letter (PDF attached, link to the nomination page) to its agency and
    record the outcome on the letter and its job. True when sent."""
    agency = letter.agency
    job_id = letter.job_id
    if not agency.email:
        _record(letter, job_id, ok=False, error=NO_EMAIL)
        return False
    letter_content = content.compose(letter_settings=letter_settings, facts=facts,
                                     agency=agency, number=letter.number, date=letter.date)
    try:
        pdf_bytes = pdf.render_letter(letter_content)
        with translation.override(django_settings.LANGUAGE_CODE):
            body = render_to_string("letters/email/announcement.txt", {
                "letter": letter, "content": letter_content, "link": content.nomination_url(),
                "program": facts.program})
            subject = f"{letter_content.subject} {facts.program.year} — {letter.number}"
        message = build_email(subject=subject, body=body, to=[agency.email],
                              connection=connection)
        message.attach(pdf.filename(agency_code=agency.code, year=facts.program.year),
                       pdf_bytes, "application/pdf")
        message.send()
    except Exception as exc:  # noqa: BLE001 - one agency's failure must not stop the job
        log.warning("announcement letter %s to %s failed: %s", letter.number, agency.email, exc)
        _record(letter, job_id, ok=False, error=f"{type(exc).__name__}: {exc}")
        return False
    _record(letter, job_id, ok=True, sent_to=agency.email, pdf_bytes=pdf_bytes)
    return True


def run_send_job(*, job_id: int) -> SendJob:
    """Send every pending letter of the job (what the background task does).

    Each letter is recorded in its own transaction, so progress shows while it runs; run
    again after an interruption, it continues with the letters still pending.
    """
    job = SendJob.objects.select_related("program").get(pk=job_id)
    if job.status == JobStatus.FINISHED:
        return job
    SendJob.objects.filter(pk=job.pk, started_at__isnull=True).update(started_at=timezone.now())
    SendJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    program = job.program
    letter_settings = ensure_settings(program=program)
    facts = content.program_facts(program=program)
    pending = list(job.letters.filter(status=LetterStatus.PENDING)
                   .select_related("agency", "program").order_by("seq"))
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as exc:  # noqa: BLE001 - every letter then records why it failed
        log.warning("mail connection failed: %s", exc)
    try:
        for letter in pending:
            deliver_letter(letter=letter, facts=facts, letter_settings=letter_settings,
                           connection=connection)
    finally:
        with contextlib.suppress(Exception):  # closing a broken connection
            connection.close()
    SendJob.objects.filter(pk=job.pk).update(status=JobStatus.FINISHED,
                                             finished_at=timezone.now())
    job.refresh_from_db()
    return job
