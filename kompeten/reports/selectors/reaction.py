"""Reaction (Kirkpatrick level 1): the classroom evaluation's anonymous ratings per
facilitator and batch."""

from dataclasses import dataclass

from django.db.models import Avg, Count, F, Q

from kompeten.classroom.attendance_models import EvaluationRating
from kompeten.reports.filters import Criteria

SCORES = (1, 2, 3, 4, 5)
# The organisation's own ratings (no facilitator) first, on SQLite and PostgreSQL alike.
BY_FACILITATOR = F("facilitator__name").asc(nulls_first=True)


@dataclass
class ReactionRow:
    facilitator: str
    batch: int
    level: str
    count: int
    average: float
    distribution: list[int]


def _ratings(criteria: Criteria):
    ratings = EvaluationRating.objects.all()
    if criteria.program is not None:
        ratings = ratings.filter(program=criteria.program)
    if criteria.level is not None:
        ratings = ratings.filter(batch__level=criteria.level)
    if criteria.batch is not None:
        ratings = ratings.filter(batch=criteria.batch)
    if criteria.batch_number is not None:
        ratings = ratings.filter(batch__number=criteria.batch_number)
    return ratings


def per_facilitator_and_batch(criteria: Criteria) -> list[ReactionRow]:
    """One row per facilitator (or the organisation) and batch: one query."""
    aggregates = {f"s{score}": Count("pk", filter=Q(score=score)) for score in SCORES}
    rows = (_ratings(criteria)
            .values("facilitator__name", "batch__number", "batch__level__name")
            .annotate(count=Count("pk"), average=Avg("score"), **aggregates)
            .order_by(BY_FACILITATOR, "batch__number"))
    return [ReactionRow(r["facilitator__name"] or "", r["batch__number"],
                        r["batch__level__name"], r["count"], round(r["average"], 2),
                        [r[f"s{score}"] for score in SCORES]) for r in rows]


def per_facilitator(criteria: Criteria) -> list[tuple[str, float, int]]:
    return [(r["facilitator__name"] or "", round(r["average"], 2), r["count"])
            for r in _ratings(criteria).values("facilitator__name")
            .annotate(average=Avg("score"), count=Count("pk")).order_by(BY_FACILITATOR)]
