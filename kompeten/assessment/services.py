"""Writes of the assessment record: policy, instruments, assignment, what the participant
gives before the test, and the assessor's evidence. Decisions, appeals and the sidang are
in decisions.py. Every refusal is a ValidationError with the reason, nothing changed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kompeten.accounts.models import Role, User
from kompeten.assessment import selectors
from kompeten.assessment.models import (
    AssessmentPolicy,
    Assignment,
    Consent,
    EvidenceCheck,
    OralAnswer,
    OralQuestion,
    SelfAssessment,
    Sidang,
)
from kompeten.programs.models import Batch, Program, ProgramUnit
from kompeten.registration.models import Registration


def _name(user: User) -> str:
    return user.get_full_name() or user.username


@transaction.atomic
def save_policy(*, program: Program, participants_per_assessor: int, appeal_days: int,
                method: str, lead_assessor: User | None = None) -> AssessmentPolicy:
    if lead_assessor is not None and lead_assessor.role != Role.ASSESSOR:
        raise ValidationError(_("Asesor kepala harus pengguna dengan peran asesor."))
    policy, _created = AssessmentPolicy.objects.update_or_create(program=program, defaults={
        "participants_per_assessor": participants_per_assessor, "appeal_days": appeal_days,
        "method": method, "lead_assessor": lead_assessor})
    return policy


# -- instruments --

@transaction.atomic
def add_question(*, unit: ProgramUnit, question: str, expected_answer: str) -> OralQuestion:
    last = unit.oral_questions.order_by("-order").values_list("order", flat=True).first() or 0
    return OralQuestion.objects.create(unit=unit, order=last + 1, question=question,
                                       expected_answer=expected_answer)


@transaction.atomic
def update_question(*, question: OralQuestion, text: str, expected_answer: str) -> OralQuestion:
    question.question, question.expected_answer = text, expected_answer
    question.save(update_fields=["question", "expected_answer"])
    return question


@transaction.atomic
def delete_question(*, question: OralQuestion) -> None:
    if question.answers.exists():
        raise ValidationError(_("Pertanyaan ini sudah dijawab peserta dan tidak dapat dihapus."))
    question.delete()


# -- assignment --

def check_locked(batch: Batch | None) -> None:
    if batch is not None and Sidang.objects.filter(batch=batch).exists():
        raise ValidationError(_("Hasil angkatan ini sudah ditetapkan dalam sidang penetapan; "
                                "perubahan hanya melalui banding."), code="locked")


def _check_assessor(assessor: User, registration: Registration, batch: Batch) -> None:
    if assessor.role != Role.ASSESSOR:
        raise ValidationError(_("Hanya asesor yang dapat ditugaskan menilai peserta."))
    if not selectors.batch_assessors(batch).filter(pk=assessor.pk).exists():
        raise ValidationError(_("%(name)s bukan asesor angkatan ini.") % {"name": _name(assessor)})
    if assessor.agency_id is not None and assessor.agency_id == registration.agency_id:
        raise ValidationError(_("Asesor tidak boleh menilai peserta dari instansinya sendiri."),
                              code="own_agency")


@transaction.atomic
def assign(*, registration: Registration, assessor: User) -> Assignment:
    batch = selectors.batch_of(registration)
    if batch is None:
        raise ValidationError(_("Peserta belum ditempatkan di angkatan."))
    check_locked(batch)
    _check_assessor(assessor, registration, batch)
    try:
        with transaction.atomic():
            assignment, _created = Assignment.objects.update_or_create(
                registration=registration, defaults={"assessor": assessor, "batch": batch})
    except IntegrityError as exc:  # the database trigger: same agency
        raise ValidationError(_("Asesor tidak boleh menilai peserta dari instansinya "
                                "sendiri."), code="own_agency") from exc
    return assignment


@dataclass
class AutoAssignResult:
    assigned: int
    unassigned: list[Registration]


@transaction.atomic
def auto_assign(*, batch: Batch) -> AutoAssignResult:
    """Give every unassigned participant of the batch an assessor of the batch: the least
    loaded one not of their agency, at most the programme's ratio each."""
    check_locked(batch)
    ratio = selectors.policy_for(batch.program).participants_per_assessor
    assessors = list(selectors.batch_assessors(batch))
    load = Counter(Assignment.objects.filter(batch=batch).values_list("assessor_id", flat=True))
    taken = set(Assignment.objects.filter(batch=batch).values_list("registration_id", flat=True))
    assigned, unassigned = 0, []
    for registration in selectors.batch_participants(batch):
        if registration.pk in taken:
            continue
        eligible = [a for a in assessors if load[a.pk] < ratio
                    and (a.agency_id is None or a.agency_id != registration.agency_id)]
        if not eligible:
            unassigned.append(registration)
            continue
        assessor = min(eligible, key=lambda a: (load[a.pk], a.pk))
        Assignment.objects.create(registration=registration, batch=batch, assessor=assessor)
        load[assessor.pk] += 1
        assigned += 1
    return AutoAssignResult(assigned, unassigned)


# -- before the test: the participant --

def _own(user: User, registration: Registration) -> None:
    if registration.user_id != user.pk:
        raise ValidationError(_("Hanya peserta yang bersangkutan yang dapat mengisi ini."))


@transaction.atomic
def save_self_assessment(*, user: User, registration: Registration,
                         answers: dict[int, tuple[bool, str]]) -> int:
    """answers: unit id → (can do, evidence pointed to)."""
    _own(user, registration)
    check_locked(selectors.batch_of(registration))
    units = {u.pk for u in selectors.units_of(registration)}
    if not set(answers) <= units:
        raise ValidationError(_("Unit kompetensi tidak termasuk kualifikasi Anda."))
    for unit_id, (can_do, evidence) in answers.items():
        SelfAssessment.objects.update_or_create(
            registration=registration, unit_id=unit_id,
            defaults={"can_do": can_do, "evidence": evidence[:500]})
    return len(answers)


@transaction.atomic
def accept_consent(*, user: User, registration: Registration) -> Consent:
    """The participant agrees to the plan as it stands now (a snapshot, with the time)."""
    _own(user, registration)
    assignment = selectors.assignment_of(registration)
    if assignment is None:
        raise ValidationError(_("Asesor Anda belum ditetapkan; persetujuan rencana asesmen "
                                "dapat diberikan setelah itu."))
    if Consent.objects.filter(registration=registration).exists():
        raise ValidationError(_("Anda sudah menyetujui rencana asesmen."))
    batch = assignment.batch
    return Consent.objects.create(
        registration=registration, method=selectors.policy_for(batch.program).method,
        planned_on=batch.end_date, venue=batch.venue or "-",
        assessor_name=_name(assignment.assessor)[:200], accepted_at=timezone.now())


# -- the assessor's evidence --

def assessable(*, assessor: User, registration: Registration) -> Assignment:
    """The assessor's assignment for this participant, refused with the reason otherwise."""
    assignment = Assignment.objects.select_related("batch").filter(
        registration=registration).first()
    if assignment is None or assignment.assessor_id != assessor.pk:
        raise ValidationError(_("Peserta ini tidak ditugaskan kepada Anda."), code="not_assigned")
    if assessor.agency_id is not None and assessor.agency_id == registration.agency_id:
        raise ValidationError(_("Asesor tidak boleh menilai peserta dari instansinya sendiri."),
                              code="own_agency")
    check_locked(assignment.batch)
    return assignment


@transaction.atomic
def judge_evidence(*, assessor: User, registration: Registration, key: str, valid: bool,
                   authentic: bool, current: bool, sufficient: bool, note: str = ""
                   ) -> EvidenceCheck:
    assessable(assessor=assessor, registration=registration)
    item = next((i for i in selectors.portfolio(registration) if i.key == key), None)
    if item is None:
        raise ValidationError(_("Bukti ini tidak ada dalam portofolio peserta."))
    check, _created = EvidenceCheck.objects.update_or_create(
        registration=registration, key=key,
        defaults={"label": item.label, "valid": valid, "authentic": authentic,
                  "current": current, "sufficient": sufficient, "note": note[:500],
                  "by": assessor, "at": timezone.now()})
    return check


@transaction.atomic
def record_oral_answer(*, assessor: User, registration: Registration, question: OralQuestion,
                       answer: str, achieved: bool) -> OralAnswer:
    assessable(assessor=assessor, registration=registration)
    if question.unit.qualification_id != registration.qualification_id:
        raise ValidationError(_("Pertanyaan ini bukan untuk unit kualifikasi peserta."))
    oral, _created = OralAnswer.objects.update_or_create(
        registration=registration, question=question,
        defaults={"answer": answer[:1000], "achieved": achieved, "by": assessor,
                  "at": timezone.now()})
    return oral


@transaction.atomic
def save_observation(*, assessor: User, registration: Registration, text: str) -> Assignment:
    assignment = assessable(assessor=assessor, registration=registration)
    assignment.observation = text[:2000]
    assignment.save(update_fields=["observation"])
    return assignment
