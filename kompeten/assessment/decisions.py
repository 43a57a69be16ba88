"""Writes of the decisions: draft, click-to-sign, correction as a new version, the appeal
and its panel, and the sidang penetapan. Every change leaves a DecisionLog row."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kompeten.accounts.models import Role, User
from kompeten.assessment import selectors
from kompeten.assessment.decision_models import (
    Appeal,
    Decision,
    DecisionLog,
    LogAction,
    Sidang,
    Verdict,
)
from kompeten.assessment.services import assessable, check_locked
from kompeten.common.mail import queue_email
from kompeten.programs.models import Batch, ProgramUnit
from kompeten.registration.models import Registration


def snapshot(decision: Decision | None) -> dict | None:
    if decision is None:
        return None
    return {"version": decision.version, "verdict": decision.verdict, "note": decision.note,
            "feedback": decision.feedback, "reason": decision.reason,
            "signed": decision.signed_at.isoformat() if decision.signed_at else None,
            "hash": decision.content_hash}


def content_hash(decision: Decision) -> str:
    """The fingerprint of a signed decision (see Decision.content_hash)."""
    fields = [decision.registration.nip, decision.unit.code, str(decision.version),
              decision.verdict, decision.note, decision.feedback, decision.reason,
              str(decision.by_id), decision.signed_at.isoformat()]
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()


def seal(decision: Decision, at) -> Decision:
    decision.signed_at = at
    decision.content_hash = content_hash(decision)
    return decision


def _log(*, registration: Registration, unit: ProgramUnit, action: str, by: User,
         before: Decision | dict | None, after: Decision | None) -> None:
    DecisionLog.objects.create(
        registration=registration, unit=unit, action=action, by=by, at=timezone.now(),
        before=before if isinstance(before, dict) or before is None else snapshot(before),
        after=snapshot(after))


def _check_unit(registration: Registration, unit: ProgramUnit) -> None:
    if unit.qualification_id != registration.qualification_id:
        raise ValidationError(_("Unit ini bukan unit kualifikasi peserta."))


def _check_verdict(verdict: str) -> None:
    if verdict not in Verdict.values:
        raise ValidationError(_("Pilih K atau BK."))


def _latest(registration: Registration, unit: ProgramUnit) -> Decision | None:
    return (Decision.objects.select_for_update().filter(registration=registration, unit=unit)
            .order_by("-version").first())


@transaction.atomic
def save_decision(*, assessor: User, registration: Registration, unit: ProgramUnit,
                  verdict: str, note: str = "", feedback: str = "") -> Decision:
    """Write or rewrite the unsigned draft of a unit's decision."""
    assessable(assessor=assessor, registration=registration)
    _check_unit(registration, unit)
    _check_verdict(verdict)
    current = _latest(registration, unit)
    if current is not None and current.signed_at is not None:
        raise ValidationError(_("Keputusan ini sudah ditandatangani dan tidak dapat diubah; "
                                "buat koreksi dengan alasan."), code="signed")
    before = snapshot(current)
    if current is None:
        current = Decision(registration=registration, unit=unit, version=1, by=assessor)
    current.verdict, current.note, current.feedback = verdict, note[:2000], feedback[:2000]
    current.by = assessor
    current.save()
    _log(registration=registration, unit=unit, action=LogAction.DRAFT, by=assessor,
         before=before, after=current)
    return current


@transaction.atomic
def sign_decision(*, assessor: User, registration: Registration, unit: ProgramUnit) -> Decision:
    assessable(assessor=assessor, registration=registration)
    current = _latest(registration, unit)
    if current is None:
        raise ValidationError(_("Belum ada keputusan untuk ditandatangani."))
    if current.signed_at is not None:
        raise ValidationError(_("Keputusan ini sudah ditandatangani."), code="signed")
    if current.by_id != assessor.pk:
        raise ValidationError(_("Hanya asesor yang membuat keputusan yang dapat "
                                "menandatanganinya."))
    before = snapshot(current)
    seal(current, timezone.now())
    current.save(update_fields=["signed_at", "content_hash"])
    _log(registration=registration, unit=unit, action=LogAction.SIGN, by=assessor,
         before=before, after=current)
    return current


@transaction.atomic
def sign_all(*, assessor: User, registration: Registration) -> int:
    """Sign every unsigned draft of the participant at once."""
    assessable(assessor=assessor, registration=registration)
    drafts = [d for d in selectors.latest_decisions([registration.pk]).values()
              if d.signed_at is None]
    for draft in drafts:
        sign_decision(assessor=assessor, registration=registration, unit=draft.unit)
    return len(drafts)


@transaction.atomic
def correct_decision(*, assessor: User, registration: Registration, unit: ProgramUnit,
                     verdict: str, note: str, feedback: str, reason: str) -> Decision:
    """A signed decision is never edited: the correction is a new, signed version."""
    assessable(assessor=assessor, registration=registration)
    _check_unit(registration, unit)
    _check_verdict(verdict)
    if not reason.strip():
        raise ValidationError(_("Tuliskan alasan koreksi."))
    current = _latest(registration, unit)
    if current is None or current.signed_at is None:
        raise ValidationError(_("Hanya keputusan yang sudah ditandatangani yang dikoreksi; "
                                "draf dapat diubah langsung."))
    corrected = Decision(
        registration=registration, unit=unit, version=current.version + 1, verdict=verdict,
        note=note[:2000], feedback=feedback[:2000], reason=reason.strip()[:500], by=assessor)
    seal(corrected, timezone.now()).save()
    _log(registration=registration, unit=unit, action=LogAction.CORRECT, by=assessor,
         before=current, after=corrected)
    return corrected


# -- sidang penetapan --

def missing_decisions(batch: Batch) -> int:
    """How many unit decisions of the batch's participants are not yet signed."""
    participants, units, latest = selectors.batch_matrix(batch)
    missing = 0
    for registration in participants:
        for unit in units:
            if unit.qualification_id != registration.qualification_id:
                continue
            decision = latest.get((registration.pk, unit.pk))
            missing += decision is None or decision.signed_at is None
    return missing


@transaction.atomic
def hold_sidang(*, batch: Batch, held_on: dt.date, decree_number: str, panel_members: str,
                by: User) -> Sidang:
    """Fix the batch's results (no more decisions except through appeal) and release them
    to the participants."""
    Batch.objects.select_for_update().get(pk=batch.pk)
    check_locked(batch)
    if not decree_number.strip():
        raise ValidationError(_("Nomor SK wajib diisi."))
    if held_on > timezone.localdate():
        raise ValidationError(_("Tanggal sidang tidak boleh di masa depan: catat sidang "
                                "setelah diadakan."), code="future")
    if not [line for line in panel_members.splitlines() if line.strip()]:
        raise ValidationError(_("Tuliskan anggota panel sidang."))
    if not selectors.batch_participants(batch).exists():
        raise ValidationError(_("Angkatan ini belum punya peserta."))
    missing = missing_decisions(batch)
    if missing:
        raise ValidationError(_("Masih ada %(count)s keputusan unit yang belum ditandatangani "
                                "asesor.") % {"count": missing}, code="incomplete")
    sidang = Sidang.objects.create(batch=batch, held_on=held_on,
                                   decree_number=decree_number.strip()[:100],
                                   panel_members=panel_members.strip()[:1000],
                                   locked_at=timezone.now(), by=by)
    for registration in selectors.batch_participants(batch).exclude(email=""):
        queue_email(
            subject=_("Hasil uji kompetensi %(program)s") % {"program": batch.program.name},
            body=_("Yth. %(name)s,\n\nHasil uji kompetensi Anda telah ditetapkan dalam sidang "
                   "penetapan (SK %(sk)s). Lihat hasil per unit di Kompeten, menu Asesmen. "
                   "Banding atas unit BK dapat diajukan paling lambat %(until)s.\n")
            % {"name": registration.full_name, "sk": sidang.decree_number,
               "until": date_format(appeal_deadline(sidang), "j F Y")},
            to=[registration.email])
    return sidang


def appeal_deadline(sidang: Sidang) -> dt.date:
    days = selectors.policy_for(sidang.batch.program).appeal_days
    return timezone.localdate(sidang.locked_at) + dt.timedelta(days=days)


# -- appeal (banding) --

def _panel_candidates(appeal_batch: Batch, registration: Registration, first: User
                      ) -> list[User]:
    lead = selectors.policy_for(appeal_batch.program).lead_assessor
    others = [a for a in selectors.batch_assessors(appeal_batch) if a.pk != first.pk]
    candidates = ([lead] if lead is not None and lead.pk != first.pk else []) + others
    return [c for c in candidates
            if c.agency_id is None or c.agency_id != registration.agency_id]


@transaction.atomic
def file_appeal(*, user: User, registration: Registration, unit: ProgramUnit, reason: str,
                now: dt.datetime | None = None) -> Appeal:
    if user.role != Role.PARTICIPANT or registration.user_id != user.pk:
        raise ValidationError(_("Hanya peserta yang bersangkutan yang dapat mengajukan "
                                "banding."), code="not_own")
    batch = selectors.batch_of(registration)
    sidang = Sidang.objects.filter(batch=batch).first() if batch else None
    if sidang is None:
        raise ValidationError(_("Banding dapat diajukan setelah hasil ditetapkan."),
                              code="not_released")
    deadline = appeal_deadline(sidang)
    if timezone.localdate(now or timezone.now()) > deadline:
        raise ValidationError(_("Masa banding berakhir pada %(date)s.")
                              % {"date": date_format(deadline, "j F Y")}, code="too_late")
    if not reason.strip():
        raise ValidationError(_("Tuliskan alasan banding."))
    decision = (Decision.objects.filter(registration=registration, unit=unit,
                                        signed_at__isnull=False).order_by("-version").first())
    if decision is None or decision.verdict != Verdict.BK:
        raise ValidationError(_("Banding hanya dapat diajukan untuk unit dengan keputusan "
                                "belum kompeten (BK)."), code="not_bk")
    if Appeal.objects.filter(registration=registration, unit=unit).exists():
        raise ValidationError(_("Banding untuk unit ini sudah diajukan."), code="twice")
    candidates = _panel_candidates(batch, registration, decision.by)
    appeal = Appeal.objects.create(
        registration=registration, unit=unit, decision=decision, first_assessor=decision.by,
        reason=reason.strip()[:2000], filed_at=now or timezone.now(),
        panel=candidates[0] if candidates else None)
    _log(registration=registration, unit=unit, action=LogAction.APPEAL, by=user,
         before=decision, after=None)
    return appeal


@transaction.atomic
def assign_panel(*, appeal: Appeal, panel: User) -> Appeal:
    if appeal.decided_at is not None:
        raise ValidationError(_("Banding ini sudah diputus."))
    batch = selectors.batch_of(appeal.registration)
    if panel.pk not in {c.pk for c in _panel_candidates(batch, appeal.registration,
                                                         appeal.first_assessor)}:
        raise ValidationError(_("Panel banding harus asesor lain dari angkatan ini atau asesor "
                                "kepala, bukan asesor yang memutus pertama kali, dan bukan dari "
                                "instansi peserta."), code="panel")
    appeal.panel = panel
    appeal.save(update_fields=["panel"])
    return appeal


@transaction.atomic
def decide_appeal(*, user: User, appeal: Appeal, verdict: str, note: str,
                  feedback: str = "") -> Decision:
    """The panel's outcome is a new signed version of the unit's decision."""
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.panel_id != user.pk:
        raise ValidationError(_("Hanya panel banding yang ditunjuk yang dapat memutus."),
                              code="not_panel")
    if appeal.first_assessor_id == user.pk:
        raise ValidationError(_("Asesor yang memutus pertama kali tidak boleh memutus "
                                "bandingnya."), code="first_assessor")
    if appeal.decided_at is not None:
        raise ValidationError(_("Banding ini sudah diputus."), code="decided")
    _check_verdict(verdict)
    if not note.strip():
        raise ValidationError(_("Tuliskan pertimbangan panel."))
    current = _latest(appeal.registration, appeal.unit)
    now = timezone.now()
    outcome = Decision(
        registration=appeal.registration, unit=appeal.unit,
        version=(current.version if current else 0) + 1, verdict=verdict, note=note[:2000],
        feedback=feedback[:2000], reason=(_("Putusan banding: %(reason)s")
                                          % {"reason": appeal.reason})[:500],
        by=user, appeal=appeal)
    seal(outcome, now).save()
    appeal.outcome, appeal.decided_at = verdict, now
    appeal.save(update_fields=["outcome", "decided_at"])
    _log(registration=appeal.registration, unit=appeal.unit, action=LogAction.PANEL, by=user,
         before=current, after=outcome)
    return outcome


def max_version(registration: Registration, unit: ProgramUnit) -> int:
    return (Decision.objects.filter(registration=registration, unit=unit)
            .aggregate(v=Max("version"))["v"] or 0)
