"""Reads for the batch placement pages (a fixed number of queries each)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.http import Http404

from kompeten.batching.models import Placement
from kompeten.programs.models import Batch, Level, Program
from kompeten.registration.models import Registration, Status


@dataclass
class LevelOverview:
    level: Level
    batches: list[Batch] = field(default_factory=list)   # annotated with .filled
    waiting: int = 0
    unplaced: int = 0       # accepted without any placement yet

    @property
    def capacity(self) -> int:
        return sum(b.capacity for b in self.batches)

    @property
    def placed(self) -> int:
        return sum(b.filled for b in self.batches)


def batches_with_fill(*, program: Program, level: Level | None = None) -> QuerySet[Batch]:
    batches = Batch.objects.filter(program=program).select_related("level") \
        .annotate(filled=Count("placements")).order_by("start_date", "number")
    return batches.filter(level=level) if level is not None else batches


def level_overview(*, program: Program) -> list[LevelOverview]:
    """Every level with batches in the programme: batches and fill, waiting, unplaced."""
    rows: dict[int, LevelOverview] = {}
    for batch in batches_with_fill(program=program):
        rows.setdefault(batch.level_id, LevelOverview(level=batch.level)).batches.append(batch)
    for level_id, n in (Placement.objects.filter(registration__program=program,
                                                 batch__isnull=True)
                        .values_list("registration__level").annotate(n=Count("pk"))):
        if level_id in rows:
            rows[level_id].waiting = n
    for level_id, n in (Registration.objects.filter(program=program, status=Status.ACCEPTED,
                                                    placement__isnull=True)
                        .values_list("level").annotate(n=Count("pk"))):
        if level_id in rows:
            rows[level_id].unplaced = n
    return sorted(rows.values(), key=lambda row: (row.level.order, row.level.name))


def seated_by_level(*, program: Program) -> dict[int, int]:
    """Level id -> officials of the programme holding a batch seat (not the waiting list)."""
    return dict(Placement.objects.filter(registration__program=program, batch__isnull=False)
                .order_by().values_list("registration__level").annotate(n=Count("pk")))


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
