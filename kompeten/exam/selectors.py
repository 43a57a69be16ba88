"""Reads of the exam, including the contracts other stages use (unit_scores,
item_statistics: see PLAN.md)."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from kompeten.access.rules import batches_for
from kompeten.accounts.models import Role, User
from kompeten.batching.models import Placement
from kompeten.exam.models import (
    Attempt,
    AttemptItem,
    ExamPolicy,
    ExamSession,
    Question,
    QuestionKind,
)
from kompeten.programs.curriculum_models import ProgramUnit
from kompeten.programs.models import Batch, Program
from kompeten.programs.selectors import qualification_for
from kompeten.registration.models import Registration

# Share of examinees in the upper and lower groups for the discrimination index.
GROUP_SHARE = 0.27


def policy_of(program: Program) -> ExamPolicy:
    """The programme's policy, or the defaults (unsaved) when the organiser set none."""
    return ExamPolicy.objects.filter(program=program).first() or ExamPolicy(program=program)


def placement_of(user: User) -> Placement | None:
    """The participant's seat in a batch of the newest programme they are placed in."""
    if not user.is_authenticated or user.role != Role.PARTICIPANT:
        return None
    return (Placement.objects.select_related("registration", "batch__program", "batch__level")
            .filter(registration__user=user, batch__isnull=False)
            .order_by("-batch__program__year", "-batch__start_date").first())


def units_of(registration: Registration, batch: Batch) -> list[ProgramUnit]:
    qualification = registration.qualification or qualification_for(
        program=batch.program, level=batch.level, agency=registration.agency)
    if qualification is None:
        return []
    return list(qualification.units.order_by("order"))


# -- the bank --------------------------------------------------------------------------------

def program_units(program: Program) -> list[ProgramUnit]:
    """Every unit of the programme with its count of active questions per kind."""
    active = Q(questions__retired_at__isnull=True)
    return list(ProgramUnit.objects.filter(qualification__program=program)
                .select_related("qualification__level")
                .annotate(mc=Count("questions", filter=active & Q(questions__kind="mc")),
                          essays=Count("questions", filter=active & Q(questions__kind="essay")))
                .order_by("qualification__level__order", "qualification__name", "order"))


def unit_of(*, pk: int) -> ProgramUnit:
    unit = (ProgramUnit.objects.select_related("qualification__program", "qualification__level")
            .filter(pk=pk).first())
    if unit is None:
        raise Http404
    return unit


def unit_questions(unit: ProgramUnit, *, retired: bool = False) -> QuerySet[Question]:
    return (Question.objects.filter(unit=unit, retired_at__isnull=not retired)
            .prefetch_related("options").order_by("kind", "pk"))


def question_of(*, pk: int) -> Question:
    question = (Question.objects.select_related("unit__qualification__program", "image")
                .prefetch_related("options").filter(pk=pk).first())
    if question is None:
        raise Http404
    return question


def image_question_for(*, user: User, pk: int) -> Question:
    """A question's image: organisers, the staff of a batch whose attempts drew it, or the
    participant whose attempt drew it; anyone else gets a 404."""
    question = Question.objects.select_related("image").filter(pk=pk, image__isnull=False).first()
    if question is None:
        raise Http404
    if user.role == Role.ORGANISER:
        return question
    drawn = AttemptItem.objects.filter(question=question)
    if user.role == Role.PARTICIPANT:
        allowed = drawn.filter(attempt__registration__user=user).exists()
    elif user.role == Role.ASSESSOR:
        allowed = drawn.filter(attempt__session__batch__in=batches_for(user)).exists()
    else:
        allowed = False
    if not allowed:
        raise Http404
    return question


# -- sessions and attempts -------------------------------------------------------------------

def sessions_for(user: User, batches: QuerySet[Batch] | None = None
                 ) -> QuerySet[ExamSession]:
    """The sessions of the batches the user serves (of ``batches`` when given: a filtered
    queryset of those), the latest first."""
    return (ExamSession.objects.filter(batch__in=batches_for(user) if batches is None
                                       else batches)
            .select_related("batch__level", "batch__program")
            .annotate(attempt_count=Count("attempts")).order_by("-created_at"))


def session_for(*, user: User, pk: int) -> ExamSession:
    session = (ExamSession.objects.filter(pk=pk, batch__in=batches_for(user))
               .select_related("batch__level", "batch__program").first())
    if session is None:
        raise Http404
    return session


def batch_for(*, user: User, pk: int) -> Batch:
    batch = batches_for(user).select_related("program", "level").filter(pk=pk).first()
    if batch is None:
        raise Http404
    return batch


def exam_batches(user: User, program: Program | None,
                 batches: QuerySet[Batch] | None = None) -> QuerySet[Batch]:
    """The programme's batches the user serves (of ``batches`` when given), by start date:
    a queryset, to be sliced by the page (a filter finds any batch)."""
    batches = (batches_for(user) if batches is None else batches).select_related("level",
                                                                                "program")
    if program is not None:
        batches = batches.filter(program=program)
    return batches.order_by("start_date", "number")


def attempt_of_participant(*, user: User, pk: int) -> Attempt:
    attempt = (Attempt.objects.select_related("session__batch__program", "registration")
               .filter(pk=pk, registration__user=user).first())
    if attempt is None:
        raise Http404
    return attempt


def attempt_to_save(*, user: User, pk: int) -> Attempt:
    """The participant's own attempt with just what saving an answer needs (the hot path)."""
    attempt = (Attempt.objects.filter(pk=pk, registration__user=user).order_by()
               .only("pk", "deadline", "closed_at").first())
    if attempt is None:
        raise Http404
    return attempt


def attempt_for_staff(*, user: User, pk: int) -> Attempt:
    attempt = (Attempt.objects.select_related("session__batch", "registration")
               .filter(pk=pk, session__batch__in=batches_for(user)).first())
    if attempt is None:
        raise Http404
    return attempt


def item_for_staff(*, user: User, pk: int) -> AttemptItem:
    item = (AttemptItem.objects.select_related("attempt__session__batch", "question")
            .filter(pk=pk, attempt__session__batch__in=batches_for(user)).first())
    if item is None:
        raise Http404
    return item


def attempt_items(attempt: Attempt) -> list[AttemptItem]:
    """The slots with their question, unit and options (in the attempt's shuffled order)."""
    items = list(AttemptItem.objects.filter(attempt=attempt)
                 .select_related("question__unit", "question__image")
                 .prefetch_related("question__options").order_by("position"))
    for item in items:
        options = {option.pk: option for option in item.question.options.all()}
        item.shuffled = [options[pk] for pk in item.option_order if pk in options]
        item.field = f"slot-{item.pk}"
        # Precomputed: rendering ~300 localized integers costs more than the queries.
        for letter, option in zip("ABCDE", item.shuffled, strict=False):
            option.letter, option.value = letter, str(option.pk)
            option.dom_id = f"option-{item.pk}-{option.pk}"
    return items


def participant_attempts(user: User) -> list[Attempt]:
    return list(Attempt.objects.filter(registration__user=user)
                .select_related("session__batch").order_by("-started_at")[:5])


def open_session_of(placement: Placement | None) -> ExamSession | None:
    if placement is None:
        return None
    return (ExamSession.objects.filter(batch_id=placement.batch_id, closed_at__isnull=True)
            .first())


@dataclass
class LiveRow:
    registration: Registration
    attempt: Attempt | None
    answered: int
    total: int
    last_save: object
    seconds_left: int = 0


def live_rows(session: ExamSession) -> list[LiveRow]:
    """Every participant of the batch with their attempt, answered count and last save
    (a fixed number of queries)."""
    registrations = list(Registration.objects.filter(placement__batch=session.batch_id)
                         .order_by("plain_name"))
    attempts = {a.registration_id: a for a in Attempt.objects.filter(session=session)
                .annotate(total=Count("items"),
                          answered=Count("items", filter=Q(items__answered_at__isnull=False)
                                         & (Q(items__choice__isnull=False)
                                            | ~Q(items__text=""))),
                          last_save=Max("items__answered_at"))}
    rows = []
    for registration in registrations:
        attempt = attempts.get(registration.pk)
        rows.append(LiveRow(registration, attempt, getattr(attempt, "answered", 0),
                            getattr(attempt, "total", 0), getattr(attempt, "last_save", None)))
    return rows


def essays_to_mark(session: ExamSession) -> list[AttemptItem]:
    return list(AttemptItem.objects.filter(attempt__session=session,
                                           question__kind=QuestionKind.ESSAY)
                .exclude(text="")
                .select_related("question__unit", "attempt__registration")
                .order_by("question__unit__order", "question_id",
                          "attempt__registration__plain_name"))


@dataclass(frozen=True)
class UnitScoreRow:
    registration: Registration
    attempt: Attempt
    scores: dict[int, float]  # unit id -> percent


def session_results(session: ExamSession) -> tuple[list[ProgramUnit], list[UnitScoreRow]]:
    attempts = list(Attempt.objects.filter(session=session).select_related("registration")
                    .order_by("registration__plain_name"))
    scores = _scores(AttemptItem.objects.filter(attempt__session=session))
    unit_ids = {u for per in scores.values() for u in per}
    units = list(ProgramUnit.objects.filter(pk__in=unit_ids).order_by("order"))
    return units, [UnitScoreRow(a.registration, a, scores.get(a.pk, {})) for a in attempts]


def _scores(items: QuerySet[AttemptItem]) -> dict[int, dict[int, float]]:
    """attempt id -> unit id -> percent of the points (marked items only)."""
    got: dict[int, dict[int, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
    for attempt_id, unit_id, points, maximum in items.filter(points__isnull=False).values_list(
            "attempt_id", "question__unit_id", "points", "max_points"):
        pair = got[attempt_id][unit_id]
        pair[0] += float(points)
        pair[1] += maximum
    return {a: {u: round(100 * p / m, 1) if m else 0.0 for u, (p, m) in units.items()}
            for a, units in got.items()}


# -- contracts (PLAN.md) ---------------------------------------------------------------------

def unit_scores(registration_ids: Iterable[int]) -> dict[int, dict[int, float]]:
    """registration id -> ProgramUnit id -> written-test score in percent (0-100) of the
    closed, scored attempt (the latest one when there were several sessions); a
    registration without a scored attempt is absent."""
    attempts = (Attempt.objects.filter(registration_id__in=list(registration_ids),
                                       closed_at__isnull=False, scored_at__isnull=False)
                .order_by("registration_id", "-scored_at", "-pk")
                .values_list("pk", "registration_id"))
    latest: dict[int, int] = {}
    for pk, registration_id in attempts:
        latest.setdefault(registration_id, pk)
    scores = _scores(AttemptItem.objects.filter(attempt_id__in=list(latest.values())))
    return {registration_id: scores.get(pk, {}) for registration_id, pk in latest.items()}


@dataclass(frozen=True)
class ItemStat:
    question_id: int
    unit_code: str
    excerpt: str
    answered: int
    difficulty: float | None  # p: mean share of the points (share correct for MC)
    discrimination: float | None  # upper 27 % minus lower 27 % (by total score)
    kind: str = QuestionKind.MULTIPLE_CHOICE
    version: int = 1


def item_statistics(*, program: Program, unit: ProgramUnit | None = None) -> list[ItemStat]:
    """Per question of the programme (or one unit) drawn in scored attempts."""
    items = AttemptItem.objects.filter(attempt__session__batch__program=program,
                                       attempt__scored_at__isnull=False, points__isnull=False)
    if unit is not None:
        items = items.filter(question__unit=unit)
    rows = list(items.values_list("attempt_id", "question_id", "points", "max_points",
                                  "answered_at"))
    totals: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for attempt_id, _q, points, maximum, _a in AttemptItem.objects.filter(
            attempt_id__in={r[0] for r in rows}).values_list(
            "attempt_id", "question_id", "points", "max_points", "answered_at"):
        totals[attempt_id][0] += float(points or 0)
        totals[attempt_id][1] += maximum
    ranked = sorted(totals, key=lambda a: totals[a][0] / (totals[a][1] or 1))
    size = max(1, round(len(ranked) * GROUP_SHARE)) if len(ranked) >= 2 else 0
    lower, upper = set(ranked[:size]), set(ranked[-size:]) if size else set()
    per_question: dict[int, list[tuple[int, float, bool]]] = defaultdict(list)
    for attempt_id, question_id, points, maximum, answered_at in rows:
        per_question[question_id].append((attempt_id, float(points) / maximum,
                                          answered_at is not None))
    questions = {q.pk: q for q in Question.objects.filter(pk__in=per_question)
                 .select_related("unit")}
    stats = []
    for question_id, marks in per_question.items():
        question = questions[question_id]
        p = sum(share for _a, share, _x in marks) / len(marks)
        discrimination = None
        if size:
            up = [share for a, share, _x in marks if a in upper]
            low = [share for a, share, _x in marks if a in lower]
            if up and low:
                discrimination = round(sum(up) / len(up) - sum(low) / len(low), 2)
        stats.append(ItemStat(question_id, question.unit.code, question.excerpt,
                              sum(1 for *_r, answered in marks if answered), round(p, 2),
                              discrimination, question.kind, question.version))
    return sorted(stats, key=lambda s: (s.unit_code, s.question_id))
