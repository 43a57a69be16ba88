"""Reads of the topic groups (also used by the class documents)."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from kompeten.batching.models import Placement
from kompeten.programs.models import Batch, Level, Program
from kompeten.rumpun.models import Membership, Topic


def membership_of(placement: Placement) -> Membership | None:
    try:
        return placement.membership
    except Membership.DoesNotExist:
        return None


def topic_of(placement: Placement) -> Topic | None:
    """The placement's group (None: none yet); load with select_related("membership__topic")."""
    membership = membership_of(placement)
    return membership.topic if membership is not None else None


def batch_members(*, batch: Batch, order: str = "topic") -> list[Placement]:
    """The participants of a batch for its pages and documents, one query.

    order "topic": by group, then name (seating, name plates); "name": alphabetical."""
    ordering = (["membership__topic__order", "membership__topic__name",
                 "registration__plain_name"] if order == "topic"
                else ["registration__plain_name"])
    return list(Placement.objects.filter(batch=batch)
                .select_related("registration__agency", "membership__topic",
                                "membership__suggested_topic")
                .order_by(*ordering, "pk"))


@dataclass
class BatchGroups:
    batch: Batch
    counts: dict[int | None, int] = field(default_factory=dict)  # topic id (None: no group)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def without_topic(self) -> int:
        return self.counts.get(None, 0)

    @property
    def outside_bounds(self) -> list[int]:
        """Topic ids whose group is smaller than the minimum or larger than the maximum."""
        program = self.batch.program
        minimum, maximum = program.group_min_size, program.group_max_size
        if self.total < minimum:
            return [t for t, c in self.counts.items() if t is not None and c > 0][1:]
        return [t for t, c in self.counts.items()
                if t is not None and not minimum <= c <= maximum]


def find_batches(*, program: Program, level: Level | None = None,
                 number: int | None = None) -> QuerySet[Batch]:
    """The programme's batches for the groups summary, by number (page the result)."""
    batches = (Batch.objects.filter(program=program).select_related("level", "program")
               .order_by("number"))
    if level is not None:
        batches = batches.filter(level=level)
    if number is not None:
        batches = batches.filter(number=number)
    return batches


def topic_overview(*, program: Program, batches: Iterable[Batch] | None = None
                   ) -> list[BatchGroups]:
    """Group sizes of the given batches (every batch of the programme when None; the page
    passes one page of them): two queries."""
    if batches is None:
        batches = (Batch.objects.filter(program=program).select_related("level", "program")
                   .order_by("number"))
    rows = {b.pk: BatchGroups(b) for b in batches}
    for batch_id, topic_id, count in (Placement.objects.filter(batch__in=list(rows))
                                      .values_list("batch_id", "membership__topic")
                                      .annotate(n=Count("pk")).order_by()):
        rows[batch_id].counts[topic_id] = count
    return list(rows.values())


def batch_groups(*, program: Program, pk: int) -> BatchGroups | None:
    """One batch of the programme with its group sizes (None: not in the programme)."""
    batch = (Batch.objects.filter(program=program, pk=pk).select_related("level", "program")
             .first())
    return topic_overview(program=program, batches=[batch])[0] if batch else None


def topics() -> QuerySet[Topic]:
    return Topic.objects.all()


