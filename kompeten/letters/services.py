"""Writes of the letters app: settings, numbering, send jobs and the delivery of one letter."""

import contextlib
import logging
import time

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kompeten.accounts.models import User
from kompeten.common import jobs
from kompeten.common.jobs import dispatch
from kompeten.common.mail import StandardEmail
from kompeten.common.storage import private_storage, save_new
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
    _refuse_while_a_letter_is_being_sent(program)
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
        job=job, status=LetterStatus.PENDING, error="", claimed_at=None, mail_started_at=None)
    from kompeten.letters.tasks import send_letters

    dispatch(send_letters, job_id=job.pk)
    return job


UNCERTAIN = ("Terputus saat dikirim ke server e-mail; mungkin sudah terkirim. Periksa ke instansi "
             "sebelum mengirim ulang.")
# How long a run waits at most for letters another run (or a dead one) holds.
WAIT_POLL_SECONDS = 1.0


def _stale_cutoff():
    return timezone.now() - jobs.stale_after()


def refresh_counts(*, job_id: int) -> None:
    """The job's counters, counted from its letters (never incremented: a repeated run
    cannot count a letter twice)."""
    counts = AnnouncementLetter.objects.filter(job_id=job_id).aggregate(
        sent=Count("pk", filter=Q(status=LetterStatus.SENT)),
        failed=Count("pk", filter=Q(status=LetterStatus.FAILED)))
    SendJob.objects.filter(pk=job_id).update(**counts)


def _claim(letter: AnnouncementLetter) -> bool:
    """Take the letter for this run (pending → sending); False when another run has it or it
    is done."""
    now = timezone.now()
    claimed = AnnouncementLetter.objects.filter(pk=letter.pk, status=LetterStatus.PENDING).update(
        status=LetterStatus.SENDING, claimed_at=now, mail_started_at=None)
    letter.status, letter.claimed_at = LetterStatus.SENDING, now
    return bool(claimed)


def _failed(letter: AnnouncementLetter, error: str) -> None:
    AnnouncementLetter.objects.filter(pk=letter.pk, status=LetterStatus.SENDING).update(
        status=LetterStatus.FAILED, error=error[:500], attempts=F("attempts") + 1)
    letter.status, letter.error = LetterStatus.FAILED, error[:500]


def _sent(letter: AnnouncementLetter, *, stored_name: str, sent_to: str) -> None:
    """Recorded after the mail server took it; the earlier PDF stays stored."""
    now = timezone.now()
    AnnouncementLetter.objects.filter(pk=letter.pk).update(
        status=LetterStatus.SENT, sent_at=now, sent_to=sent_to, pdf=stored_name, error="",
        attempts=F("attempts") + 1)
    letter.status, letter.sent_at, letter.sent_to = LetterStatus.SENT, now, sent_to
    letter.pdf.name = stored_name


class _PreparedMessage(StandardEmail):
    """An e-mail whose MIME form is built once, before the letter is marked as handed to the
    mail server: the uncertain window (marked, not yet written) is only the write itself."""

    _prepared = None

    def message(self, *args, **kwargs):
        if self._prepared is None:
            self._prepared = super().message(*args, **kwargs)
        return self._prepared


def deliver_letter(*, letter: AnnouncementLetter, facts: content.ProgramFacts,
                   letter_settings: LetterSettings, connection=None) -> bool | None:
    """E-mail one letter (PDF attached, link to the nomination page) to its agency and
    record the outcome on the letter. True when sent, False when it failed, None when the
    letter was not pending (another run has it or it is done).

    The letter is claimed before anything else; the PDF is stored under a new name; the
    letter notes when the e-mail goes to the mail server (so a crash just then is known to
    be uncertain, never silently repeated) and is recorded sent after. Any error of this
    letter — drawing, storage, mail server — is recorded on it and the job goes on."""
    if not _claim(letter):
        return None
    agency = letter.agency
    if not agency.email:
        _failed(letter, NO_EMAIL)
        return False
    stored_name = ""
    try:
        letter_content = content.compose(letter_settings=letter_settings, facts=facts,
                                         agency=agency, number=letter.number, date=letter.date)
        pdf_bytes = pdf.render_letter(letter_content)
        with translation.override(django_settings.LANGUAGE_CODE):
            body = render_to_string("letters/email/announcement.txt", {
                "letter": letter, "content": letter_content, "link": content.nomination_url(),
                "program": facts.program})
            subject = f"{letter_content.subject} {facts.program.year} — {letter.number}"
        stored_name = save_new(f"letters/{facts.program.year}/{letter.pk}", pdf_bytes,
                               suffix="pdf")
        message = _PreparedMessage(subject=subject, body=body, to=[agency.email],
                               from_email=django_settings.DEFAULT_FROM_EMAIL,
                               connection=connection,
                               headers={"X-Kompeten-Key": f"letter:{letter.pk}:{stored_name}"})
        message.attach(pdf.filename(agency_code=agency.code, year=facts.program.year),
                       pdf_bytes, "application/pdf")
        message.message()
        AnnouncementLetter.objects.filter(pk=letter.pk, status=LetterStatus.SENDING).update(
            mail_started_at=timezone.now())
        message.send()
    except Exception as exc:  # noqa: BLE001 - one agency's failure must not stop the job
        log.warning("announcement letter %s to %s failed: %s", letter.number, agency.email, exc)
        if stored_name:  # never e-mailed: not a version of the letter
            with contextlib.suppress(Exception):
                private_storage().delete(stored_name)
        _failed(letter, f"{type(exc).__name__}: {exc}")
        return False
    _sent(letter, stored_name=stored_name, sent_to=agency.email)
    return True


def recover_stale_letters(*, job_id: int | None = None) -> int:
    """Letters left "sending" by a run that died (claimed over JOB_STALE_SECONDS ago): back to
    pending when the e-mail had not yet gone to the mail server, else failed as uncertain
    (never e-mailed twice without a person deciding)."""
    cutoff = _stale_cutoff()
    stale = AnnouncementLetter.objects.filter(status=LetterStatus.SENDING)
    if job_id is not None:
        stale = stale.filter(job_id=job_id)
    back = stale.filter(mail_started_at__isnull=True, claimed_at__lt=cutoff).update(
        status=LetterStatus.PENDING, claimed_at=None)
    uncertain = stale.filter(mail_started_at__lt=cutoff).update(
        status=LetterStatus.FAILED, error=UNCERTAIN, attempts=F("attempts") + 1)
    return back + uncertain


def _refuse_while_a_letter_is_being_sent(program: Program) -> None:
    """A cancelled run may still be sending one letter: never mark it pending under it."""
    recover_stale_letters()
    if AnnouncementLetter.objects.filter(program=program, status=LetterStatus.SENDING).exists():
        raise ValidationError(_("Satu surat masih sedang dikirim oleh pengiriman sebelumnya. "
                                "Coba lagi sebentar lagi."))


def _job_open(job_id: int) -> bool:
    return SendJob.objects.filter(pk=job_id, status__in=ACTIVE_JOB_STATUSES).exists()


def run_send_job(*, job_id: int) -> SendJob:
    """Send every pending letter of the job (what the background task does).

    Safe to run twice at once or again after a crash: each letter is claimed before it is
    drawn and recorded in its own transaction, so progress shows while it runs and no letter
    goes out twice. The run ends when no letter of the job is pending or being sent; letters
    that a dead run left "sending" are recovered once stale. A cancelled job stops."""
    job = SendJob.objects.select_related("program").get(pk=job_id)
    if job.status not in ACTIVE_JOB_STATUSES:
        return job
    SendJob.objects.filter(pk=job.pk, started_at__isnull=True).update(started_at=timezone.now())
    SendJob.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(status=JobStatus.RUNNING)
    program = job.program
    letter_settings = ensure_settings(program=program)
    facts = content.program_facts(program=program)
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as exc:  # noqa: BLE001 - every letter then records why it failed
        log.warning("mail connection failed: %s", exc)
    try:
        while _job_open(job.pk):
            recover_stale_letters(job_id=job.pk)
            pending = list(job.letters.filter(status=LetterStatus.PENDING)
                           .select_related("agency", "program").order_by("seq"))
            for letter in pending:
                jobs.beat()
                if not _job_open(job.pk):
                    break
                if deliver_letter(letter=letter, facts=facts, letter_settings=letter_settings,
                                  connection=connection) is not None:
                    refresh_counts(job_id=job.pk)
            if not job.letters.filter(status__in=[LetterStatus.PENDING,
                                                  LetterStatus.SENDING]).exists():
                break
            if not pending:  # only letters held by another (or a dead) run: wait for them
                jobs.beat()
                time.sleep(WAIT_POLL_SECONDS)
    finally:
        with contextlib.suppress(Exception):  # closing a broken connection
            connection.close()
    refresh_counts(job_id=job.pk)
    SendJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        status=JobStatus.FINISHED, finished_at=timezone.now())
    job.refresh_from_db()
    return job


@transaction.atomic
def cancel_job(*, job: SendJob, by: User) -> SendJob:
    """Stop a queued or running job: letters not yet sent stay pending (a later "send to
    those without a letter" includes them); the letter being sent just now finishes."""
    updated = SendJob.objects.filter(pk=job.pk, status__in=ACTIVE_JOB_STATUSES).update(
        status=JobStatus.CANCELLED, finished_at=timezone.now())
    if not updated:
        raise ValidationError(_("Pengiriman ini sudah selesai atau dibatalkan."))
    from kompeten.letters.tasks import send_letters

    jobs.cancel_task_jobs(send_letters, job_id=job.pk)
    job.refresh_from_db()
    return job


@transaction.atomic
def retry_job(*, job: SendJob, by: User) -> SendJob:
    """Run a finished or cancelled job again for its letters that failed or were not sent
    (letters already sent are not sent again). One job per programme at a time."""
    job = SendJob.objects.select_for_update().get(pk=job.pk)
    if job.status in ACTIVE_JOB_STATUSES:
        raise ValidationError(_("Pengiriman ini masih berjalan."))
    if SendJob.objects.filter(program_id=job.program_id,
                              status__in=ACTIVE_JOB_STATUSES).exists():
        raise ValidationError(_("Pengiriman lain masih berjalan. Tunggu sampai selesai."))
    _refuse_while_a_letter_is_being_sent(job.program)
    again = job.letters.filter(status__in=[LetterStatus.FAILED, LetterStatus.PENDING])
    if not again.exists():
        raise ValidationError(_("Tidak ada surat yang gagal atau belum terkirim pada "
                                "pengiriman ini."))
    again.update(status=LetterStatus.PENDING, error="", claimed_at=None, mail_started_at=None)
    try:
        with transaction.atomic():
            SendJob.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, finished_at=None)
    except IntegrityError as exc:
        raise ValidationError(
            _("Pengiriman lain masih berjalan. Tunggu sampai selesai.")) from exc
    refresh_counts(job_id=job.pk)
    from kompeten.letters.tasks import send_letters

    dispatch(send_letters, job_id=job.pk)
    job.refresh_from_db()
    return job
