"""Pass rates per competency unit and per batch (the current, released K/BK decisions),
the written test's average per unit, and the test's item statistics (exam contract)."""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum

from kompeten.assessment.models import Decision
from kompeten.exam.models import AttemptItem
from kompeten.exam.selectors import ItemStat, item_statistics
from kompeten.programs.models import ProgramUnit
from kompeten.reports.filters import Criteria


def current_released(criteria: Criteria) -> QuerySet[Decision]:
    """The current signed version of each unit decision of the batches whose sidang has
    released the results (as assessment.selectors.released_results reads them)."""
    # version >= 2 (and the same programme) keeps the anti-join's hash to the few corrected
    # decisions instead of all 1.4 million (bench/reports.py: 2.1 s -> see README).
    later = criteria.apply(Decision.objects.filter(
        registration=OuterRef("registration"), unit=OuterRef("unit"), signed_at__isnull=False,
        version__gte=2, version__gt=OuterRef("version")), "registration__")
    return criteria.apply(
        Decision.objects.filter(signed_at__isnull=False,
                                registration__placement__batch__sidang__isnull=False)
        .filter(~Exists(later)), "registration__")


@dataclass
class PassRow:
    label: str
    title: str
    level: str
    assessed: int
    competent: int
    written: float | None = None
    unit_id: int | None = None

    @property
    def not_yet(self) -> int:
        return self.assessed - self.competent

    @property
    def rate(self) -> float | None:
        return round(100 * self.competent / self.assessed, 1) if self.assessed else None


def _aggregates():
    return {"assessed": Count("pk"), "competent": Count("pk", filter=Q(verdict="K"))}


def per_unit(criteria: Criteria) -> list[PassRow]:
    written = {row["question__unit_id"]: (
        round(100 * float(row["points"]) / row["maximum"], 1) if row["maximum"] else None)
        for row in criteria.apply(AttemptItem.objects.filter(
            attempt__scored_at__isnull=False, points__isnull=False), "attempt__registration__")
        .values("question__unit_id").annotate(points=Sum("points"),
                                              maximum=Sum("max_points"))}
    rows = (current_released(criteria)
            .values("unit_id", "unit__code", "unit__title", "unit__order",
                    level=F("registration__level__name"))
            .annotate(**_aggregates()).order_by("level", "unit__order", "unit__code"))
    return [PassRow(r["unit__code"], r["unit__title"], r["level"], r["assessed"],
                    r["competent"], written.get(r["unit_id"]), r["unit_id"]) for r in rows]


def per_batch(criteria: Criteria) -> list[PassRow]:
    rows = (current_released(criteria)
            .values(number=F("registration__placement__batch__number"),
                    level=F("registration__level__name"),
                    program=F("registration__program__code"))
            .annotate(**_aggregates()).order_by("program", "number"))
    return [PassRow(str(r["number"]), r["program"], r["level"], r["assessed"], r["competent"])
            for r in rows]


def item_stats(criteria: Criteria, unit_id: int | None) -> tuple[ProgramUnit | None,
                                                                  list[ItemStat]]:
    """The item statistics of one unit's questions (the first unit with results when none
    is chosen); the programme-wide analysis is one unit at a time."""
    if criteria.program is None:
        return None, []
    units = ProgramUnit.objects.filter(qualification__program=criteria.program)
    unit = units.filter(pk=unit_id).first() if unit_id else None
    if unit is None:
        unit = units.filter(pk__in=AttemptItem.objects.filter(
            attempt__session__batch__program=criteria.program,
            attempt__scored_at__isnull=False).values("question__unit_id")).order_by(
            "qualification__level__order", "order").first()
    if unit is None:
        return None, []
    return unit, item_statistics(program=criteria.program, unit=unit)
