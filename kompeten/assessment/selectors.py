"""Reads of the assessment record. released_results and is_released are the contract with
the certificates and reports apps (PLAN.md)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from kompeten.access.models import BatchStaff, StaffRole
from kompeten.access.rules import batches_for
from kompeten.accounts.models import Role, User
from kompeten.assessment.models import (
    Appeal,
    AssessmentPolicy,
    Assignment,
    Consent,
    Decision,
    DecisionLog,
    EvidenceCheck,
    OralAnswer,
    OralQuestion,
    SelfAssessment,
    Sidang,
)
from kompeten.batching.models import Placement
from kompeten.exam.selectors import unit_scores
from kompeten.programs.models import Batch, Program, ProgramUnit
from kompeten.registration.models import Registration, Status


def released_results(registration_ids) -> dict[int, dict[int, str]]:
    """Registration id → ProgramUnit id → "K" / "BK": the latest signed version (after
    appeals), only for batches whose sidang penetapan has released the results."""
    results: dict[int, dict[int, str]] = {}
    rows = (Decision.objects.filter(registration_id__in=list(registration_ids),
                                    signed_at__isnull=False,
                                    registration__placement__batch__sidang__isnull=False)
            .order_by("registration_id", "unit_id", "version")
            .values_list("registration_id", "unit_id", "verdict"))
    for registration_id, unit_id, verdict in rows:
        results.setdefault(registration_id, {})[unit_id] = verdict
    return results


def is_released(batch: Batch) -> bool:
    return Sidang.objects.filter(batch=batch).exists()


def policy_for(program: Program) -> AssessmentPolicy:
    """The programme's policy, or an unsaved one with the defaults."""
    return (AssessmentPolicy.objects.select_related("lead_assessor").filter(program=program)
            .first() or AssessmentPolicy(program=program))


def written_scores(registration_ids) -> dict[int, dict[int, float]]:
    """The written-test score per unit (percent) from the exam app."""
    return unit_scores(list(registration_ids))


def units_of(registration: Registration) -> list[ProgramUnit]:
    if registration.qualification_id is None:
        return []
    return list(ProgramUnit.objects.filter(qualification_id=registration.qualification_id)
                .order_by("order"))


def batch_of(registration: Registration) -> Batch | None:
    placement = (Placement.objects.select_related("batch__program", "batch__level")
                 .filter(registration=registration).first())
    return placement.batch if placement else None


def batch_assessors(batch: Batch) -> QuerySet[User]:
    return (User.objects.filter(batch_roles__batch=batch, batch_roles__role=StaffRole.ASSESSOR,
                                is_active=True)
            .order_by("first_name", "username").distinct())


def batch_participants(batch: Batch) -> QuerySet[Registration]:
    return (Registration.objects.filter(placement__batch=batch, status=Status.ACCEPTED)
            .select_related("agency").order_by("plain_name", "pk"))


def serves(user: User, batch: Batch) -> bool:
    return (user.role == Role.ORGANISER
            or BatchStaff.objects.filter(user=user, batch=batch,
                                         role=StaffRole.ASSESSOR).exists())


def batch_for(*, user: User, pk: int) -> Batch:
    batch = (batches_for(user).select_related("program", "level").filter(pk=pk).first())
    if batch is None:
        raise Http404
    return batch


def latest_decisions(registration_ids, *, signed_only: bool = False
                     ) -> dict[tuple[int, int], Decision]:
    """(registration id, unit id) → its highest version (signed versions only, if asked)."""
    rows = Decision.objects.filter(registration_id__in=list(registration_ids))
    if signed_only:
        rows = rows.filter(signed_at__isnull=False)
    latest: dict[tuple[int, int], Decision] = {}
    for decision in rows.select_related("by").order_by("version"):
        latest[(decision.registration_id, decision.unit_id)] = decision
    return latest


# -- the assessor --

def assigned_registration(*, user: User, pk: int) -> Assignment:
    """The assessor's own assignment for registration ``pk`` (404 otherwise)."""
    assignment = (Assignment.objects.select_related(
        "registration__agency", "registration__qualification", "batch__program",
        "batch__level", "assessor").filter(registration_id=pk, assessor=user).first())
    if assignment is None:
        raise Http404
    return assignment


@dataclass
class AssessorRow:
    assignment: Assignment
    decided: int = 0
    signed: int = 0
    units: int = 0


def assessor_batches(user: User) -> list[tuple[Batch, list[AssessorRow], bool]]:
    """The assessor's participants per batch with decided / signed unit counts (a fixed
    number of queries)."""
    assignments = list(Assignment.objects.filter(assessor=user)
                       .select_related("registration__agency", "batch__level", "batch__program")
                       .order_by("batch__start_date", "batch__number",
                                 "registration__plain_name"))
    ids = [a.registration_id for a in assignments]
    unit_counts = dict(Registration.objects.filter(pk__in=ids)
                       .annotate(n=Count("qualification__units")).values_list("pk", "n"))
    latest = latest_decisions(ids)
    released = set(Sidang.objects.filter(batch__in={a.batch_id for a in assignments})
                   .values_list("batch_id", flat=True))
    grouped: dict[int, tuple[Batch, list[AssessorRow], bool]] = {}
    for assignment in assignments:
        row = AssessorRow(assignment, units=unit_counts.get(assignment.registration_id, 0))
        for (registration_id, _unit), decision in latest.items():
            if registration_id == assignment.registration_id:
                row.decided += 1
                row.signed += decision.signed_at is not None
        grouped.setdefault(assignment.batch_id, (assignment.batch, [],
                                                 assignment.batch_id in released))[1].append(row)
    return list(grouped.values())


@dataclass
class UnitEvidence:
    unit: ProgramUnit
    written: float | None
    self_assessment: SelfAssessment | None
    questions: list[OralQuestion]
    answers: dict[int, OralAnswer]
    decision: Decision | None
    history: list[Decision] = field(default_factory=list)
    appeal: Appeal | None = None

    @property
    def oral(self) -> list[tuple[OralQuestion, OralAnswer | None]]:
        return [(q, self.answers.get(q.pk)) for q in self.questions]


def unit_evidence(registration: Registration) -> list[UnitEvidence]:
    units = units_of(registration)
    written = written_scores([registration.pk]).get(registration.pk, {})
    selfs = {s.unit_id: s for s in SelfAssessment.objects.filter(registration=registration)}
    questions = OralQuestion.objects.filter(unit__in=units).order_by("unit_id", "order")
    by_unit: dict[int, list[OralQuestion]] = {}
    for question in questions:
        by_unit.setdefault(question.unit_id, []).append(question)
    answers = {a.question_id: a for a in OralAnswer.objects.filter(registration=registration)}
    history: dict[int, list[Decision]] = {}
    for decision in (Decision.objects.filter(registration=registration)
                     .select_related("by").order_by("version")):
        history.setdefault(decision.unit_id, []).append(decision)
    appeals = {a.unit_id: a for a in Appeal.objects.filter(registration=registration)
               .select_related("panel", "first_assessor")}
    return [UnitEvidence(unit=unit, written=written.get(unit.pk),
                         self_assessment=selfs.get(unit.pk),
                         questions=by_unit.get(unit.pk, []),
                         answers={q.pk: answers[q.pk] for q in by_unit.get(unit.pk, [])
                                  if q.pk in answers},
                         decision=(history.get(unit.pk) or [None])[-1],
                         history=history.get(unit.pk, []), appeal=appeals.get(unit.pk))
            for unit in units]


@dataclass
class EvidenceItem:
    key: str
    label: str
    detail: str
    check: EvidenceCheck | None


def portfolio(registration: Registration) -> list[EvidenceItem]:
    """The participant's evidence: each work-history entry and the action plan."""
    checks = {c.key: c for c in EvidenceCheck.objects.filter(registration=registration)}
    items = []
    for entry in registration.work_history.order_by("-start_date"):
        period = f"{entry.start_date:%m/%Y}–{entry.end_date:%m/%Y}" if entry.end_date else (
            f"{entry.start_date:%m/%Y}–")
        key = f"work:{entry.pk}"
        items.append(EvidenceItem(key, f"{entry.position}, {entry.unit} ({period})"[:300],
                                  entry.duties, checks.get(key)))
    plan = getattr(registration, "action_plan", None) if hasattr(
        registration, "action_plan") else None
    if plan is not None:
        items.append(EvidenceItem("plan", f"RTL: {plan.title}"[:300], plan.problem,
                                  checks.get("plan")))
    return items


def decision_log(registration: Registration) -> QuerySet[DecisionLog]:
    return DecisionLog.objects.filter(registration=registration).select_related("by", "unit")


def appeals_for_panel(user: User) -> QuerySet[Appeal]:
    return (Appeal.objects.filter(panel=user).select_related("registration", "unit",
                                                              "decision")
            .order_by("decided_at", "filed_at"))


def appeal_for_panel(*, user: User, pk: int) -> Appeal:
    appeal = appeals_for_panel(user).filter(pk=pk).first()
    if appeal is None:
        raise Http404
    return appeal


# -- the organiser --

@dataclass
class BatchProgress:
    batch: Batch
    participants: int
    assigned: int
    signed_units: int
    total_units: int
    sidang: Sidang | None


def program_batches(program: Program, batches=None) -> list[BatchProgress]:
    """The batches (by default every batch of the programme) with their assessment
    progress; the counts cover only those batches (a fixed number of queries)."""
    if batches is None:
        batches = program.batches.order_by("number")
    batches = list(batches.select_related("level", "sidang"))
    pks = [b.pk for b in batches]
    accepted = Q(placements__registration__status=Status.ACCEPTED)
    chosen = Batch.objects.filter(pk__in=pks)
    counts = dict(chosen.annotate(n=Count("placements", filter=accepted))
                  .values_list("pk", "n"))
    assigned = dict(Assignment.objects.filter(batch_id__in=pks).values("batch_id")
                    .annotate(n=Count("pk")).values_list("batch_id", "n"))
    units = dict(chosen.annotate(n=Count(
        "placements__registration__qualification__units", filter=accepted))
        .values_list("pk", "n"))
    signed = dict(Decision.objects.filter(registration__placement__batch_id__in=pks,
                                          version=1, signed_at__isnull=False)
                  .values("registration__placement__batch_id").annotate(n=Count("pk"))
                  .values_list("registration__placement__batch_id", "n"))
    return [BatchProgress(b, counts.get(b.pk, 0), assigned.get(b.pk, 0), signed.get(b.pk, 0),
                          units.get(b.pk, 0), getattr(b, "sidang", None)) for b in batches]


def batch_matrix(batch: Batch) -> tuple[list[Registration], list[ProgramUnit], dict]:
    """Participants × units of one batch with the current decision of each cell, the
    assignment of each participant (for the overview and the report)."""
    participants = list(batch_participants(batch).select_related(
        "qualification", "assessment_assignment__assessor", "assessment_consent"))
    qualification_ids = {p.qualification_id for p in participants if p.qualification_id}
    units = list(ProgramUnit.objects.filter(qualification_id__in=qualification_ids)
                 .select_related("qualification").order_by("qualification_id", "order"))
    return participants, units, latest_decisions([p.pk for p in participants])


def batch_appeals(batch: Batch) -> QuerySet[Appeal]:
    return (Appeal.objects.filter(registration__placement__batch=batch)
            .select_related("registration", "unit", "panel", "first_assessor"))


def participant_units(registration: Registration
                      ) -> list[tuple[ProgramUnit, SelfAssessment | None]]:
    selfs = {s.unit_id: s for s in SelfAssessment.objects.filter(registration=registration)}
    return [(unit, selfs.get(unit.pk)) for unit in units_of(registration)]


def consent_of(registration: Registration) -> Consent | None:
    return Consent.objects.filter(registration=registration).first()


def assignment_of(registration: Registration) -> Assignment | None:
    return (Assignment.objects.select_related("assessor", "batch").filter(
        registration=registration).first())


def prefetch_units() -> Prefetch:
    return Prefetch("qualification__units", queryset=ProgramUnit.objects.order_by("order"))
