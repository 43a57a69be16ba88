"""Reads for the batch placement pages (a fixed number of queries each)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404

from kompeten.batching.checker import Report
from kompeten.batching.models import Placement, PlacementCheck
from kompeten.programs.models import Batch, Level, Program


def seated_count() -> Count:
    """Over registrations: those holding a batch seat (not the waiting list). An aggregate
    for registration's status_counts(), so the home page's funnel counts its "placed" step in
    the same pass over the programme's registrations as the other steps."""
    return Count("placement", filter=Q(placement__batch__isnull=False))


def batch_roster(*, batch: Batch) -> QuerySet[Placement]:
    return (Placement.objects.filter(batch=batch)
            .select_related("registration__agency")
            .order_by("seat", "pk"))


def waiting_list(*, program: Program, level: Level) -> QuerySet[Placement]:
    return (Placement.objects.filter(registration__program=program, registration__level=level,
                                     batch__isnull=True)
            .select_related("registration__agency")
            .order_by("waiting_since", "pk"))


def level_by_code(*, code: str) -> Level:
    level = Level.objects.filter(code=code).first()
    if level is None:
        raise Http404
    return level


# -- the overview at national scale: sums per level, one page of batches, the stored check ---


@dataclass
class LevelSummary:
    level: Level
    batches: int = 0
    capacity: int = 0
    # from the stored placement check (None before the first check)
    placed: int | None = None
    waiting: int | None = None
    unplaced: int | None = None       # accepted without any placement yet


def level_summaries(*, program: Program, check: PlacementCheck | None) -> list[LevelSummary]:
    """Every level with batches in the programme: batches and seats (one grouped query over
    the batches), seated, waiting and unplaced from the stored check (counting them live
    joins every registration with its placement: see PlacementCheck)."""
    rows: dict[int, LevelSummary] = {}
    sums = (Batch.objects.filter(program=program).order_by().values("level")
            .annotate(n=Count("pk"), seats=Sum("capacity")))
    levels = Level.objects.in_bulk([row["level"] for row in sums])
    stored = check.levels if check is not None and check.checked_revision is not None else None
    for row in sums:
        summary = LevelSummary(level=levels[row["level"]], batches=row["n"],
                               capacity=row["seats"] or 0)
        if stored is not None:
            figures = stored.get(str(row["level"]), {})
            summary.placed = figures.get("placed", 0)
            summary.waiting = figures.get("waiting", 0)
            summary.unplaced = figures.get("unplaced", 0)
        rows[row["level"]] = summary
    return sorted(rows.values(), key=lambda row: (row.level.order, row.level.name))


FILL_EMPTY, FILL_ROOM, FILL_FULL = "kosong", "ada-kursi", "penuh"


def _fill() -> Subquery:
    return Coalesce(Subquery(Placement.objects.filter(batch=OuterRef("pk")).order_by()
                             .values("batch").annotate(n=Count("pk")).values("n"),
                             output_field=IntegerField()), 0)


def find_batches(*, program: Program, level: Level | None = None, number: int | None = None,
                 starting: dt.date | None = None, fill: str = "") -> QuerySet[Batch]:
    """The programme's batches by level, number, first day (on or after) and fill, in date
    order, each annotated with .filled (counted per row shown: page the result)."""
    batches = (Batch.objects.filter(program=program).select_related("level")
               .annotate(filled=_fill()).order_by("start_date", "number"))
    if level is not None:
        batches = batches.filter(level=level)
    if number is not None:
        batches = batches.filter(number=number)
    if starting is not None:
        batches = batches.filter(start_date__gte=starting)
    if fill == FILL_EMPTY:
        batches = batches.filter(filled=0)
    elif fill == FILL_ROOM:
        batches = batches.filter(filled__lt=F("capacity"))
    elif fill == FILL_FULL:
        batches = batches.filter(filled__gte=F("capacity"))
    return batches


def batch_with_fill(*, pk: int) -> Batch | None:
    return (Batch.objects.select_related("level", "program").annotate(filled=_fill())
            .filter(pk=pk).first())


def batch_by_number(*, program: Program, number: int) -> Batch | None:
    """A move's target, typed by its number (None when the programme has no such batch; the
    move itself refuses a batch of another level, with its reason)."""
    return (Batch.objects.filter(program=program, number=number).select_related("level")
            .annotate(filled=_fill()).first())


def batches_with_room_near(*, batch: Batch | None, program: Program, level: Level,
                           limit: int = 6, window: int = 40) -> list[Batch]:
    """Suggestions for a move: the level's batches with a free seat among the ``window``
    batches on either side of ``batch`` in date order (from the programme's first batch for
    the waiting list), nearest first, at most ``limit``. Bounded: one query that counts the
    fill of at most 2 x window batches (the page links to the overview's fill filter for
    the rest)."""
    day = batch.start_date if batch is not None else dt.date.min
    level_batches = Batch.objects.filter(program=program, level=level)
    if batch is not None:
        level_batches = level_batches.exclude(pk=batch.pk)
    after = (level_batches.filter(start_date__gte=day).order_by("start_date", "number")
             .values("pk")[:window])
    before = (level_batches.filter(start_date__lt=day).order_by("-start_date", "-number")
              .values("pk")[:window])
    candidates = list(Batch.objects.filter(Q(pk__in=after) | Q(pk__in=before))
                      .annotate(filled=_fill()).filter(filled__lt=F("capacity")))
    nearest = sorted(candidates, key=lambda b: (abs((b.start_date - day).days), b.number))
    return sorted(nearest[:limit], key=lambda b: (b.start_date, b.number))


def batches_stamp(*, program: Program) -> str:
    """The programme's batches as a stored check saw them: "count:last update"."""
    row = Batch.objects.filter(program=program).order_by().aggregate(
        n=Count("pk"), last=Max("updated_at"))
    return f"{row['n']}:{row['last'].isoformat() if row['last'] else '-'}"


def placement_check(*, program: Program) -> PlacementCheck | None:
    return PlacementCheck.objects.filter(program=program).first()


def stored_check(*, program: Program, check: PlacementCheck | None
                 ) -> tuple[Report | None, bool]:
    """The stored placement check as a report (None when never checked) and whether it is
    current. Never runs the check (see PlacementCheck)."""
    if check is None or check.checked_revision is None:
        return None, False
    report = Report(counts={**Report().counts, **check.counts}, placed=check.placed,
                    waiting=check.waiting, with_preference=check.with_preference,
                    preference_possible=check.preference_possible,
                    preference_honoured=check.preference_honoured)
    current = (check.checked_revision == check.revision
               and check.batches_stamp == batches_stamp(program=program))
    return report, current


def free_seats(*, program: Program, level: Level) -> int:
    """Free seats over the level's batches (an overfull batch counts 0, not less)."""
    batches = Batch.objects.filter(program=program, level=level).annotate(filled=_fill())
    return batches.aggregate(free=Coalesce(Sum(Greatest(F("capacity") - F("filled"), 0)),
                                           0))["free"]
