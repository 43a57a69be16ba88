"""Writes of e-learning. Uploaded files are checked before the transaction (a slow file never
holds the write lock); rights are checked again inside it."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kompeten.accounts.models import Role, User
from kompeten.common.jobs import dispatch
from kompeten.common.models import StoredFile
from kompeten.common.uploads import DOCX, PDF, PPTX, discard, inspect_upload, save_checked
from kompeten.elearning import selectors, tasks
from kompeten.elearning.models import (
    COMMENT_MAX,
    POST_MAX,
    REASON_MAX,
    RESUME_TEXT_MAX,
    TITLE_MAX,
    Material,
    MaterialDownload,
    MaterialKind,
    MaterialVersion,
    Post,
    Reminder,
    Resume,
    ResumeStatus,
    StudyMark,
    Thread,
    ThreadRead,
)
from kompeten.programs.models import Batch, ProgramModule
from kompeten.registration.models import Registration

MATERIAL_TYPES = frozenset({PDF, PPTX, DOCX})
RESUME_TYPES = frozenset({PDF, DOCX})


def _clean_text(text: str, *, limit: int, label: str, required: bool = True) -> str:
    """Plain text: no NUL or control characters except line breaks and tabs, within limit."""
    text = "".join(c for c in (text or "") if c in "\n\t" or c >= " ").replace("\r", "").strip()
    if required and not text:
        raise ValidationError(_("%(label)s wajib diisi.") % {"label": label}, code="required")
    if len(text) > limit:
        raise ValidationError(_("%(label)s paling panjang %(max)s karakter (sekarang %(n)s).")
                              % {"label": label, "max": limit, "n": len(text)}, code="too_long")
    return text


def _check_file(upload: UploadedFile, allowed: frozenset[str]):
    return inspect_upload(upload=upload, allowed=allowed,
                          max_bytes=settings.ELEARNING_MAX_BYTES)


def _store(data, detected, upload, by) -> StoredFile:
    return save_checked(data=data, detected=detected, original_name=upload.name or "", by=by)


# -- materials (organiser) -------------------------------------------------------------------

def _content(*, upload: UploadedFile | None, url: str, kind: str):
    if kind == MaterialKind.FILE:
        if upload is None:
            raise ValidationError(_("Pilih berkas materi (PDF, PPTX atau DOCX)."),
                                  code="required")
        return _check_file(upload, MATERIAL_TYPES)
    if not url:
        raise ValidationError(_("Isi tautan video materi."), code="required")
    if not url.startswith("https://"):
        raise ValidationError(_("Tautan harus diawali https://."), code="insecure_link")
    return None


def add_material(*, module: ProgramModule, title: str, kind: str, by: User,
                 upload: UploadedFile | None = None, url: str = "") -> Material:
    title = _clean_text(title, limit=TITLE_MAX, label=_("Judul materi"))
    if kind not in MaterialKind.values:
        raise ValidationError(_("Jenis materi tidak dikenal."), code="unknown_kind")
    checked = _content(upload=upload, url=url, kind=kind)
    return _save_material(module=module, title=title, kind=kind, by=by, checked=checked,
                          upload=upload, url=url)


@transaction.atomic
def _save_material(*, module, title, kind, by, checked, upload, url) -> Material:
    _check_organiser(by)
    order = Material.objects.filter(module=module).count() + 1
    material = Material.objects.create(module=module, title=title, kind=kind, order=order)
    _save_version(material=material, number=1, by=by, checked=checked, upload=upload, url=url,
                  note="")
    return material


def add_version(*, material: Material, by: User, upload: UploadedFile | None = None,
                url: str = "", note: str = "") -> MaterialVersion:
    """A new version; downloads and 'studied' marks of the earlier ones are kept."""
    note = _clean_text(note, limit=REASON_MAX, label=_("Catatan"), required=False)
    checked = _content(upload=upload, url=url, kind=material.kind)
    return _add_version(material=material, by=by, checked=checked, upload=upload, url=url,
                        note=note)


@transaction.atomic
def _add_version(*, material, by, checked, upload, url, note) -> MaterialVersion:
    _check_organiser(by)
    material = Material.objects.select_for_update().get(pk=material.pk)
    number = (material.versions.order_by("-number").values_list("number", flat=True).first()
              or 0) + 1
    return _save_version(material=material, number=number, by=by, checked=checked,
                         upload=upload, url=url, note=note)


def _save_version(*, material, number, by, checked, upload, url, note) -> MaterialVersion:
    if checked is None:
        return MaterialVersion.objects.create(material=material, number=number, url=url,
                                              note=note, created_by=by)
    stored = _store(*checked, upload, by)
    try:
        with transaction.atomic():
            return MaterialVersion.objects.create(material=material, number=number,
                                                  stored=stored, note=note, created_by=by)
    except Exception:
        discard(stored)
        raise


def _check_organiser(by: User) -> None:
    if by.role != Role.ORGANISER:
        raise ValidationError(_("Hanya penyelenggara yang dapat mengunggah materi."),
                              code="not_organiser")


# -- the participant's study -------------------------------------------------------------------

@transaction.atomic
def record_download(*, version: MaterialVersion, registration: Registration) -> None:
    rows = MaterialDownload.objects.filter(version=version, registration=registration)
    if rows.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            MaterialDownload.objects.create(version=version, registration=registration)
    except IntegrityError:
        # A simultaneous first download created the row: count this one on it.
        rows.update(count=F("count") + 1)


def _placement_for_module(*, by: User, module: ProgramModule):
    """The participant's placement in a batch of the module's level, open today, else a
    ValidationError saying why."""
    placement = selectors.placement_of(user=by, program=module.program)
    if placement is None or placement.batch.level_id != module.level_id:
        raise ValidationError(_("Anda bukan peserta angkatan yang mempelajari modul ini."),
                              code="not_in_batch")
    if not selectors.is_open(placement.batch, timezone.localdate()):
        raise ValidationError(_("E-learning angkatan Anda dibuka pada %(date)s.") % {
            "date": selectors.opens_on(placement.batch).strftime("%d-%m-%Y")}, code="not_open")
    return placement


@transaction.atomic
def mark_studied(*, material: Material, by: User) -> StudyMark:
    """The participant has studied the current version of the material."""
    placement = _placement_for_module(by=by, module=material.module)
    version = material.versions.order_by("-number").first()
    if version is None or not material.is_active:
        raise ValidationError(_("Materi ini belum tersedia."), code="no_version")
    mark, _created = StudyMark.objects.get_or_create(
        registration=placement.registration, version=version, defaults={"material": material})
    return mark


def submit_resume(*, module: ProgramModule, by: User, text: str = "",
                  upload: UploadedFile | None = None) -> Resume:
    """A typed resume (at least the programme's minimum length) or a PDF/DOCX file."""
    if upload is not None and text.strip():
        raise ValidationError(_("Pilih salah satu: ketik resume atau unggah berkas."),
                              code="both")
    checked = None
    if upload is not None:
        _placement_for_module(by=by, module=module)  # nothing is read for an outsider
        checked = _check_file(upload, RESUME_TYPES)
    else:
        text = _clean_text(text, limit=RESUME_TEXT_MAX, label=_("Resume"))
        minimum = module.program.resume_min_chars
        if len(text) < minimum:
            raise ValidationError(
                _("Resume terlalu pendek: %(n)s karakter, paling sedikit %(min)s karakter.")
                % {"n": len(text), "min": minimum}, code="too_short")
    return _save_resume(module=module, by=by, text=text, checked=checked, upload=upload)


@transaction.atomic
def _save_resume(*, module, by, text, checked, upload) -> Resume:
    placement = _placement_for_module(by=by, module=module)
    registration = Registration.objects.select_for_update().get(pk=placement.registration_id)
    current = Resume.objects.filter(registration=registration, module=module,
                                    is_current=True).first()
    if current is not None and current.status == ResumeStatus.ACCEPTED:
        raise ValidationError(_("Resume modul ini sudah diterima dan tidak dapat diganti."),
                              code="accepted")
    stored = _store(*checked, upload, by) if checked else None
    try:
        with transaction.atomic():
            Resume.objects.filter(registration=registration, module=module,
                                  is_current=True).update(is_current=False)
            return Resume.objects.create(registration=registration, module=module,
                                         text="" if stored else text, stored=stored)
    except Exception:
        if stored is not None:
            discard(stored)
        raise


@transaction.atomic
def review_resume(*, resume: Resume, by: User, accept: bool, comment: str = "") -> Resume:
    """A facilitator of the batch (or an organiser) accepts or returns with a comment."""
    comment = _clean_text(comment, limit=COMMENT_MAX, label=_("Komentar"), required=not accept)
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer join to placement.
    resume = Resume.objects.select_for_update(of=("self",)).select_related(
        "registration__placement").get(pk=resume.pk)
    batch_id = getattr(getattr(resume.registration, "placement", None), "batch_id", None)
    if batch_id is None or not selectors.staff_batches(by).filter(pk=batch_id).exists():
        raise ValidationError(_("Anda bukan fasilitator angkatan peserta ini."),
                              code="not_facilitator")
    if not resume.is_current:
        raise ValidationError(_("Resume ini sudah diganti peserta dengan yang baru."),
                              code="replaced")
    resume.status = ResumeStatus.ACCEPTED if accept else ResumeStatus.RETURNED
    resume.comment = comment
    resume.reviewed_by = by
    resume.reviewed_at = timezone.now()
    resume.save(update_fields=["status", "comment", "reviewed_by", "reviewed_at"])
    return resume


# -- forum -------------------------------------------------------------------------------------

def _check_may_post(*, batch: Batch, by: User) -> bool:
    """Whether the author is a facilitator of the batch; refuses outsiders."""
    if by.role == Role.PARTICIPANT:
        registration = selectors.batch_of_participant(user=by, batch=batch)
        if registration is None:
            raise ValidationError(_("Anda bukan peserta angkatan ini; forum ini hanya untuk "
                                    "peserta dan fasilitator angkatan %(n)s.")
                                  % {"n": batch.number}, code="not_in_batch")
        if not selectors.is_open(batch, timezone.localdate()):
            raise ValidationError(_("E-learning angkatan Anda belum dibuka."), code="not_open")
        return False
    if by.role in (Role.ORGANISER, Role.FACILITATOR) and selectors.staff_batches(by).filter(
            pk=batch.pk).exists():
        return by.role == Role.FACILITATOR
    raise ValidationError(_("Anda tidak dapat menulis di forum angkatan ini."),
                          code="not_in_batch")


@transaction.atomic
def start_thread(*, batch: Batch, module: ProgramModule, title: str, body: str, by: User
                 ) -> Thread:
    title = _clean_text(title, limit=TITLE_MAX, label=_("Judul"))
    body = _clean_text(body, limit=POST_MAX, label=_("Isi"))
    if module.program_id != batch.program_id or module.level_id != batch.level_id:
        raise ValidationError(_("Modul ini bukan modul angkatan ini."), code="wrong_module")
    facilitator = _check_may_post(batch=batch, by=by)
    now = timezone.now()
    thread = Thread.objects.create(batch=batch, module=module, title=title, author=by,
                                   last_post_at=now, post_count=1)
    post = Post.objects.create(thread=thread, author=by, body=body, is_facilitator=facilitator)
    ThreadRead.objects.create(user=by, thread=thread, last_post_id=post.pk)
    return thread


@transaction.atomic
def reply(*, thread: Thread, body: str, by: User, quote: Post | None = None) -> Post:
    body = _clean_text(body, limit=POST_MAX, label=_("Isi"))
    facilitator = _check_may_post(batch=thread.batch, by=by)
    if quote is not None and (quote.thread_id != thread.pk or quote.hidden_at is not None):
        raise ValidationError(_("Kutipan harus dari tulisan di topik ini."), code="bad_quote")
    post = Post.objects.create(thread=thread, author=by, body=body, quote=quote,
                               is_facilitator=facilitator)
    Thread.objects.filter(pk=thread.pk).update(last_post_at=post.created_at,
                                               post_count=F("post_count") + 1)
    mark_read(thread=thread, user=by, last_post_id=post.pk)
    return post


@transaction.atomic
def hide_post(*, post: Post, by: User, reason: str) -> Post:
    """Moderation: the post disappears for participants, its text stays for audit."""
    reason = _clean_text(reason, limit=REASON_MAX, label=_("Alasan"))
    if by.role not in (Role.ORGANISER, Role.FACILITATOR) or not selectors.staff_batches(
            by).filter(pk=post.thread.batch_id).exists():
        raise ValidationError(_("Anda tidak dapat memoderasi forum angkatan ini."),
                              code="not_moderator")
    Post.objects.filter(pk=post.pk, hidden_at__isnull=True).update(
        hidden_at=timezone.now(), hidden_by=by, hidden_reason=reason)
    post.refresh_from_db()
    return post


def mark_read(*, thread: Thread, user: User, last_post_id: int) -> None:
    updated = ThreadRead.objects.filter(user=user, thread=thread,
                                        last_post_id__lt=last_post_id).update(
        last_post_id=last_post_id)
    if not updated and not ThreadRead.objects.filter(user=user, thread=thread).exists():
        try:
            with transaction.atomic():
                ThreadRead.objects.create(user=user, thread=thread, last_post_id=last_post_id)
        except IntegrityError:  # a second tab of the same user was first
            pass


# -- digests and reminders (the fan-out runs as background jobs) ---------------------------------

@transaction.atomic
def queue_digests() -> int:
    """One job per batch with forum posts; each sends one mail per reader (the daily run)."""
    batches = list(Thread.objects.values_list("batch_id", flat=True).distinct())
    for batch_id in batches:
        dispatch(tasks.send_batch_digest, batch_id=batch_id)
    return len(batches)


@transaction.atomic
def remind_behind(*, batch: Batch, by: User) -> Reminder:
    """Queue a reminder to every participant of the batch who is behind."""
    if not selectors.staff_batches(by).filter(pk=batch.pk).exists():
        raise ValidationError(_("Anda bukan fasilitator angkatan ini."), code="not_facilitator")
    behind = [row.registration.pk for row in selectors.batch_progress(batch)
              if not row.complete]
    reminder = Reminder.objects.create(batch=batch, sent_by=by, recipients=len(behind))
    if behind:
        dispatch(tasks.send_reminders, batch_id=batch.pk, registration_ids=behind,
                 reminder_id=reminder.pk)
    return reminder


def days_before(batch: Batch, today: dt.date) -> int:
    return (batch.start_date - today).days
