"""Answering: finding the invitation behind a link, saving answers as the person goes
(per section), milestone progress with evidence, the supervisor's new identity, submitting
once; and the organiser's policy."""

import datetime as dt
import re

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kompeten.actionplans.models import Milestone
from kompeten.common.uploads import ANY_DOCUMENT, discard, inspect_upload, save_checked
from kompeten.monev import tokens, waves
from kompeten.monev.models import (
    TEXT_MAX,
    Answer,
    Audience,
    Invitation,
    Item,
    ItemKind,
    MilestoneAnswer,
    MilestoneStatus,
    MonevPolicy,
    Response,
    SupervisorChange,
)
from kompeten.programs.models import Program

FREQUENCY = ["tidak pernah", "kadang-kadang", "sering", "selalu"]
NOTE_MAX = 500
EVIDENCE_TYPES = ANY_DOCUMENT


# -- links -------------------------------------------------------------------------------

def invitation_for_token(*, token: str, now: dt.datetime | None = None) -> Invitation:
    """The invitation of a link, or ValidationError saying why the link no longer works."""
    now = now or timezone.now()
    pk = tokens.invitation_id(token)
    invitation = (Invitation.objects.select_related("wave__program", "wave__batch__level",
                                                    "registration__agency")
                  .filter(pk=pk).first() if pk else None)
    if invitation is None or not tokens.matches(token, invitation.token_hash):
        if invitation is not None and invitation.revoked_at is not None:
            raise ValidationError(_("Tautan ini sudah dicabut oleh penyelenggara. Gunakan "
                                    "tautan terbaru di e-mail Anda."), code="revoked")
        raise ValidationError(_("Tautan ini tidak dikenal atau sudah diganti. Gunakan "
                                "tautan terbaru di e-mail Anda."), code="unknown")
    if invitation.revoked_at is not None:
        raise ValidationError(_("Tautan ini sudah dicabut oleh penyelenggara."),
                              code="revoked")
    if now >= invitation.expires_at:
        raise ValidationError(_("Tautan ini sudah kedaluwarsa: gelombang monev ditutup pada "
                                "%(date)s.") % {"date": invitation.wave.closes_on
                                                 .strftime("%d-%m-%Y")}, code="expired")
    return invitation


@transaction.atomic
def mark_opened(*, invitation: Invitation, now: dt.datetime | None = None) -> None:
    Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(
        opened_at=now or timezone.now())


def _writable(invitation: Invitation, today: dt.date) -> Response:
    """The response, locked, if the person may still change it."""
    if invitation.revoked_at is not None:
        raise ValidationError(_("Tautan ini sudah dicabut; jawaban tidak disimpan."),
                              code="revoked")
    if today > invitation.wave.closes_on:
        raise ValidationError(_("Gelombang monev ini sudah ditutup pada %(date)s; jawaban "
                                "tidak disimpan.") % {"date": invitation.wave.closes_on
                                                      .strftime("%d-%m-%Y")}, code="closed")
    if today < invitation.wave.opens_on:
        raise ValidationError(_("Gelombang monev ini belum dibuka."), code="not_open")
    Invitation.objects.select_for_update().get(pk=invitation.pk)
    response, _created = Response.objects.get_or_create(invitation=invitation)
    if response.submitted_at is not None:
        raise ValidationError(_("Kuesioner ini sudah dikirim pada %(date)s dan tidak dapat "
                                "diubah lagi.") % {"date": timezone.localtime(
                                    response.submitted_at).strftime("%d-%m-%Y %H:%M")},
                              code="submitted")
    return response


# -- answers ------------------------------------------------------------------------------

def _parse(item: Item, raw: str) -> tuple[int | None, str]:
    """(number, text) of one answer; ValidationError with the reason when out of range."""
    value = raw.strip()
    if item.kind == ItemKind.LIKERT:
        if value not in {"1", "2", "3", "4", "5"}:
            raise ValidationError(_("Pilih nilai 1 sampai 5."), code="range")
        return int(value), ""
    if item.kind == ItemKind.FREQUENCY:
        if value not in {"1", "2", "3", "4"}:
            raise ValidationError(_("Pilih salah satu: tidak pernah, kadang-kadang, sering, "
                                    "selalu."), code="range")
        return int(value), ""
    if item.kind == ItemKind.CHOICE:
        if value not in item.option_list:
            raise ValidationError(_("Pilih salah satu pilihan yang tersedia."), code="range")
        return None, value
    if item.kind == ItemKind.NUMBER:
        if not re.fullmatch(r"-?[0-9]{1,9}", value):
            raise ValidationError(_("Tulis bilangan bulat."), code="number")
        number = int(value)
        if item.min_value is not None and number < item.min_value:
            raise ValidationError(_("Paling kecil %(min)s.") % {"min": item.min_value},
                                  code="range")
        if item.max_value is not None and number > item.max_value:
            raise ValidationError(_("Paling besar %(max)s.") % {"max": item.max_value},
                                  code="range")
        return number, ""
    if item.kind == ItemKind.TEXT:
        limit = min(item.max_length, TEXT_MAX)
        if len(value) > limit:
            raise ValidationError(_("Paling banyak %(max)s karakter (tertulis %(n)s).")
                                  % {"max": limit, "n": len(value)}, code="too_long")
        return None, value
    raise ValidationError(_("Butir ini tidak diisi di sini."), code="kind")


def _milestones_of(invitation: Invitation) -> dict[int, Milestone]:
    return {m.pk: m for m in Milestone.objects.filter(
        plan__registration_id=invitation.registration_id)}


MS_FIELD = re.compile(r"^ms-(\d+)-(status|percent|note)$")
ITEM_FIELD = re.compile(r"^item-(\d+)$")


@transaction.atomic
def save_answers(*, invitation: Invitation, values: dict[str, str],
                 today: dt.date | None = None) -> dict[str, str]:
    """Save the posted fields (``item-<id>``, ``ms-<id>-status|percent|note``) of one
    section or the whole form. A valid field is saved, an empty one clears its answer, an
    invalid one is refused and reported: {field name: message}."""
    today = today or timezone.localdate()
    response = _writable(invitation, today)
    questionnaire_items = {i.pk: i for i in Item.objects.filter(
        section__questionnaire__program=invitation.wave.program_id,
        section__questionnaire__audience=invitation.audience)}
    errors: dict[str, str] = {}
    existing = {a.item_id: a for a in response.answers.all()}
    milestone_rows: dict[int, dict[str, str]] = {}
    for name, raw in values.items():
        if match := MS_FIELD.match(name):
            milestone_rows.setdefault(int(match.group(1)), {})[match.group(2)] = raw
            continue
        match = ITEM_FIELD.match(name)
        if not match:
            continue
        item = questionnaire_items.get(int(match.group(1)))
        if item is None or item.kind in (ItemKind.MILESTONES, ItemKind.SUPERVISOR):
            errors[name] = _("Butir ini bukan bagian dari kuesioner Anda.")
            continue
        if not raw.strip():
            if item.pk in existing:
                existing.pop(item.pk).delete()
            continue
        try:
            number, text = _parse(item, raw)
        except ValidationError as exc:
            errors[name] = f"{item.text}: {exc.messages[0]}"
            continue
        answer = existing.get(item.pk) or Answer(response=response, item=item)
        answer.number, answer.text = number, text
        answer.save()
    if milestone_rows:
        errors.update(_save_milestones(invitation, response, milestone_rows))
    Response.objects.filter(pk=response.pk).update(updated_at=timezone.now())
    return errors


def _save_milestones(invitation, response, rows: dict[int, dict[str, str]]) -> dict[str, str]:
    if invitation.audience != Audience.PARTICIPANT:
        return {f"ms-{pk}-status": _("Hanya peserta yang mengisi langkah kerja.") for pk in rows}
    mine = _milestones_of(invitation)
    existing = {m.milestone_id: m for m in response.milestones.all()}
    errors = {}
    for pk, fields in rows.items():
        if pk not in mine:
            errors[f"ms-{pk}-status"] = _("Langkah kerja ini bukan milik peserta ini.")
            continue
        row = existing.get(pk) or MilestoneAnswer(response=response, milestone=mine[pk],
                                                  status=MilestoneStatus.NOT_STARTED)
        label = mine[pk].activity
        status = fields.get("status", row.status).strip()
        if status not in MilestoneStatus.values:
            errors[f"ms-{pk}-status"] = f"{label}: " + _("Pilih status langkah kerja.")
            continue
        percent_raw = fields.get("percent", str(row.percent)).strip() or "0"
        if not percent_raw.isdigit() or int(percent_raw) > 100:
            errors[f"ms-{pk}-percent"] = f"{label}: " + _("Persen harus bilangan 0 sampai 100.")
            continue
        percent = 100 if status == MilestoneStatus.DONE else int(percent_raw)
        note = fields.get("note", row.note).strip()
        if len(note) > NOTE_MAX:
            errors[f"ms-{pk}-note"] = f"{label}: " + _(
                "Catatan paling banyak %(max)s karakter.") % {"max": NOTE_MAX}
            continue
        row.status, row.percent, row.note = status, percent, note
        row.save()
    return errors


def missing_required(*, invitation: Invitation, response: Response | None) -> list[Item]:
    answered = set(response.answers.values_list("item_id", flat=True)) if response else set()
    return [i for i in Item.objects.filter(
        section__questionnaire__program=invitation.wave.program_id,
        section__questionnaire__audience=invitation.audience, required=True)
        .order_by("section__order", "order") if i.pk not in answered]


@transaction.atomic
def submit(*, invitation: Invitation, now: dt.datetime | None = None) -> Response:
    """Submit once; every required item must be answered."""
    now = now or timezone.now()
    response = _writable(invitation, timezone.localdate(now))
    missing = missing_required(invitation=invitation, response=response)
    if missing:
        raise ValidationError(
            _("Masih ada %(n)s pertanyaan wajib yang belum dijawab, mis. \"%(text)s\".")
            % {"n": len(missing), "text": missing[0].text}, code="incomplete")
    response.submitted_at = now
    response.save(update_fields=["submitted_at", "updated_at"])
    # The copy the waves overview counts (models.Invitation.answered_at).
    Invitation.objects.filter(pk=invitation.pk).update(answered_at=now)
    invitation.answered_at = now
    return response


# -- evidence -----------------------------------------------------------------------------

def attach_evidence(*, invitation: Invitation, milestone_id: int, upload: UploadedFile,
                    by: AbstractBaseUser | None, today: dt.date | None = None
                    ) -> MilestoneAnswer:
    """A checked file (PDF/JPEG/PNG within the upload limit) as evidence of a milestone.
    The file is read and checked before any transaction; a refusal stores nothing."""
    if invitation.audience != Audience.PARTICIPANT or milestone_id not in _milestones_of(
            invitation):
        raise ValidationError(_("Langkah kerja ini bukan milik peserta ini."), code="other")
    today = today or timezone.localdate()
    data, detected = inspect_upload(upload=upload, allowed=EVIDENCE_TYPES,
                                    max_bytes=settings.UPLOAD_MAX_BYTES)
    return _store_evidence(invitation=invitation, milestone_id=milestone_id, data=data,
                           detected=detected, name=upload.name or "", by=by,
                           today=today)


@transaction.atomic
def _store_evidence(*, invitation, milestone_id, data, detected, name, by, today
                    ) -> MilestoneAnswer:
    response = _writable(invitation, today)
    stored = save_checked(data=data, detected=detected, original_name=name, by=by)
    try:
        with transaction.atomic():
            row, _created = MilestoneAnswer.objects.get_or_create(
                response=response, milestone_id=milestone_id,
                defaults={"status": MilestoneStatus.IN_PROGRESS})
            row.evidence = stored
            row.save(update_fields=["evidence"])
            return row
    except Exception:
        discard(stored)
        raise


# -- supervisor ---------------------------------------------------------------------------

@transaction.atomic
def change_supervisor(*, invitation: Invitation, name: str, nip: str, position: str,
                      email: str, by: AbstractBaseUser | None,
                      now: dt.datetime | None = None) -> SupervisorChange:
    """The participant names their current supervisor; the registration keeps the original,
    and unanswered supervisor links of open waves move to the new person."""
    now = now or timezone.now()
    if invitation.audience != Audience.PARTICIPANT:
        raise ValidationError(_("Hanya peserta yang dapat mengubah identitas atasan."),
                              code="audience")
    _writable(invitation, timezone.localdate(now))
    name, nip, position, email = (name.strip(), nip.strip().replace(" ", ""),
                                  position.strip(), email.strip().lower())
    if not name or len(name) > 200 or len(position) > 250:
        raise ValidationError(_("Tulis nama atasan (paling banyak 200 karakter) dan jabatan "
                                "(paling banyak 250 karakter)."), code="name")
    if nip and not re.fullmatch(r"[0-9]{18}", nip):
        raise ValidationError(_("NIP terdiri atas 18 angka."), code="nip")
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError(_("Tulis alamat e-mail atasan yang valid."),
                              code="email") from exc
    change = SupervisorChange.objects.create(
        registration=invitation.registration, name=name, nip=nip, position=position,
        email=email, by=by if by is not None and by.is_authenticated else None, at=now)
    waves.replace_supervisor_invitations(
        registration=invitation.registration,
        supervisor=waves.Supervisor(name, nip, position, email, True),
        today=timezone.localdate(now))
    return change


# -- policy -------------------------------------------------------------------------------

@transaction.atomic
def save_policy(*, program: Program, offsets: str, closing_days: int, max_reminders: int,
                reminder_gap_days: int) -> MonevPolicy:
    values = sorted({int(x) for x in re.findall(r"\d+", offsets)})
    if not values or len(values) > 6 or any(v < 1 or v > 36 for v in values):
        raise ValidationError(_("Tulis 1 sampai 6 bulan antara 1 dan 36, dipisahkan koma, "
                                "mis. 3,6,12."), code="offsets")
    if not 1 <= closing_days <= 365 or not 0 <= max_reminders <= 10 or not (
            1 <= reminder_gap_days <= 90):
        raise ValidationError(_("Lama pengisian 1–365 hari, pengingat 0–10 kali, jarak "
                                "antarpengingat 1–90 hari."), code="range")
    policy, _created = MonevPolicy.objects.update_or_create(program=program, defaults={
        "offsets": ",".join(str(v) for v in values), "closing_days": closing_days,
        "max_reminders": max_reminders, "reminder_gap_days": reminder_gap_days})
    return policy
