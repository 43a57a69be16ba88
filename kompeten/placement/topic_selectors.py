"""Reads for the topic groups, the announcement and the class documents."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from kompeten.placement.models import Placement, Publication, Topic
from kompeten.programs.models import Batch, Program


def is_published(program: Program | None) -> bool:
    """Whether the class lists of the programme are on the public page."""
    return program is not None and Publication.objects.filter(program=program).exists()


def publication_of(program: Program) -> Publication | None:
    return Publication.objects.filter(program=program).select_related("published_by").first()


def batch_members(*, batch: Batch, order: str = "topic") -> list[Placement]:
    """The participants of a batch for its pages and documents, one query.

    order "topic": by group, then name (seating, name plates); "name": alphabetical."""
    ordering = (["topic__order", "topic__name", "registration__plain_name"] if order == "topic"
                else ["registration__plain_name"])
    return list(Placement.objects.filter(batch=batch)
                .select_related("registration__agency", "topic", "suggested_topic")
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


def topic_overview(*, program: Program) -> list[BatchGroups]:
    """Group sizes of every batch of the programme (two queries)."""
    rows = {b.pk: BatchGroups(b) for b in
            Batch.objects.filter(program=program).select_related("level", "program")
            .order_by("number")}
    for batch_id, topic_id, count in (Placement.objects.filter(batch__program=program)
                                      .values_list("batch_id", "topic_id")
                                      .annotate(n=Count("pk")).order_by()):
        rows[batch_id].counts[topic_id] = count
    return list(rows.values())


def topics() -> QuerySet[Topic]:
    return Topic.objects.all()


@dataclass(frozen=True)
class AnnouncementSummary:
    placed: int
    announced: int
    waiting: int
    without_topic: int

    @property
    def pending(self) -> int:
        return self.placed - self.announced


def announcement_summary(*, program: Program) -> AnnouncementSummary:
    values = Placement.objects.filter(registration__program=program).aggregate(
        placed=Count("pk", filter=Q(batch__isnull=False)),
        announced=Count("pk", filter=Q(batch__isnull=False, is_announced=True)),
        waiting=Count("pk", filter=Q(batch__isnull=True)),
        without_topic=Count("pk", filter=Q(batch__isnull=False, topic__isnull=True)))
    return AnnouncementSummary(**values)


def class_lists(*, program: Program, announced_only: bool = True) -> list[Batch]:
    """Batches with their participants in ``batch.members`` (by group, then name), three
    queries whatever the size. Only what the public may see is loaded: name with titles,
    agency name and group; never the NIP, phone or e-mail."""
    members = (Placement.objects.select_related("registration__agency", "topic")
               .only("pk", "batch_id", "is_announced", "topic__name", "topic__order",
                     "registration__full_name", "registration__plain_name",
                     "registration__agency__name")
               .order_by("topic__order", "topic__name", "registration__plain_name", "pk"))
    if announced_only:
        members = members.filter(is_announced=True)
    batches = (Batch.objects.filter(program=program).select_related("level")
               .order_by("number")
               .prefetch_related(Prefetch("placements", queryset=members, to_attr="members")))
    return [b for b in batches if b.members]


def officials_by_agency(placements: list[Placement]) -> dict[int, list[Placement]]:
    grouped: dict[int, list[Placement]] = defaultdict(list)
    for placement in placements:
        grouped[placement.registration.agency_id].append(placement)
    return grouped
