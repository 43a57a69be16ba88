"""The reaction evaluation (Kirkpatrick level 1) at the end of day 2: every participant rates
each session's facilitator and the organisation (Likert 1–5 and a comment). The ratings are
stored without the participant, so no facilitator (nor organiser) can tell who wrote what."""

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext as _

from kompeten.batching.models import Placement
from kompeten.classroom.attendance_models import EvaluationRating, EvaluationSubmission
from kompeten.classroom.session_models import SessionAssignment, SessionKind
from kompeten.programs.models import Batch


@dataclass(frozen=True)
class Item:
    key: str  # "s<session>-f<facilitator>" or "org"
    session_id: int | None
    facilitator_id: int | None
    label: str


@dataclass(frozen=True)
class Answer:
    score: int
    comment: str = ""


def items(batch: Batch) -> list[Item]:
    """What the form asks: each lesson session's facilitators, then the organisation."""
    rows = [Item(f"s{a.session_id}-f{a.facilitator_id}", a.session_id, a.facilitator_id,
                 f"{a.facilitator.name} — {a.session.title}")
            for a in SessionAssignment.objects.filter(session__batch=batch,
                                                      session__kind=SessionKind.LESSON)
            .select_related("facilitator", "session").order_by("starts_at",
                                                                "facilitator__name")]
    rows.append(Item("org", None, None, _("Penyelenggaraan (panitia, tempat, konsumsi)")))
    return rows


def is_open(batch: Batch, now=None) -> bool:
    """From the start of the last day (the end of day 2) on."""
    now = timezone.localdate(now or timezone.now())
    return now >= batch.end_date


@transaction.atomic
def submit(*, placement: Placement, answers: dict[str, Answer], now=None) -> int:
    """Store one participant's evaluation (once). Returns the ratings stored."""
    batch = placement.batch
    if not is_open(batch, now):
        raise ValidationError(_("Evaluasi dibuka pada hari terakhir pelatihan."))
    asked = items(batch)
    missing = [item.label for item in asked if item.key not in answers]
    if missing:
        raise ValidationError(_("Beri nilai untuk semua butir: %(items)s.")
                              % {"items": "; ".join(missing)})
    for answer in answers.values():
        if not 1 <= answer.score <= 5:
            raise ValidationError(_("Nilai harus 1 sampai 5."))
    try:
        with transaction.atomic():
            EvaluationSubmission.objects.create(registration=placement.registration,
                                                submitted_at=timezone.now())
    except IntegrityError as exc:
        raise ValidationError(_("Anda sudah mengisi evaluasi angkatan ini.")) from exc
    EvaluationRating.objects.bulk_create([
        EvaluationRating(program_id=batch.program_id, batch=batch, session_id=item.session_id,
                         facilitator_id=item.facilitator_id, score=answers[item.key].score,
                         comment=answers[item.key].comment.strip()[:2000])
        for item in asked])
    return len(asked)


@dataclass(frozen=True)
class Result:
    label: str
    count: int
    average: float | None
    comments: list[str]


def results(batch: Batch) -> tuple[int, list[Result]]:
    """(submissions, one result per facilitator and one for the organisation)."""
    ratings = EvaluationRating.objects.filter(batch=batch)
    comments: dict[int | None, list[str]] = defaultdict(list)
    for facilitator_id, comment in ratings.exclude(comment="").values_list(
            "facilitator_id", "comment").order_by("pk"):
        comments[facilitator_id].append(comment)
    rows = []
    for row in (ratings.values("facilitator_id", "facilitator__name")
                .annotate(count=Count("pk"), average=Avg("score"))
                .order_by("facilitator__name")):
        label = row["facilitator__name"] or _("Penyelenggaraan")
        rows.append(Result(label, row["count"], row["average"],
                           comments[row["facilitator_id"]]))
    submitted = EvaluationSubmission.objects.filter(
        registration__placement__batch=batch).count()
    return submitted, rows
