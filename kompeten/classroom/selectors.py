"""Reads of the announcement and the class lists."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from kompeten.batching.models import Placement
from kompeten.classroom.models import Publication
from kompeten.programs.models import Batch, Program


def is_published(program: Program | None) -> bool:
    """Whether the class lists of the programme are on the public page."""
    return program is not None and Publication.objects.filter(program=program).exists()


def publication_of(program: Program) -> Publication | None:
    return Publication.objects.filter(program=program).select_related("published_by").first()


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
        without_topic=Count("pk", filter=Q(batch__isnull=False,
                                           membership__topic__isnull=True)))
    return AnnouncementSummary(**values)


def class_lists(*, program: Program, announced_only: bool = True) -> list[Batch]:
    """Batches with their participants in ``batch.members`` (by group, then name), three
    queries whatever the size. Only what the public may see is loaded: name with titles,
    agency name and group; never the NIP, phone or e-mail."""
    members = (Placement.objects.select_related("registration__agency", "membership__topic")
               .only("pk", "batch_id", "is_announced", "membership__topic__name",
                     "membership__topic__order",
                     "registration__full_name", "registration__plain_name",
                     "registration__agency__name")
               .order_by("membership__topic__order", "membership__topic__name",
                         "registration__plain_name", "pk"))
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


def publish_preview(*, program: Program) -> dict[str, int]:
    """Who publishing would announce now: placed and not yet announced, their agencies,
    and how many of them still lack a group (publishing is refused then)."""
    pending = Placement.objects.filter(registration__program=program, batch__isnull=False,
                                       is_announced=False)
    return pending.aggregate(
        participants=Count("pk"), agencies=Count("registration__agency", distinct=True),
        without_topic=Count("pk", filter=Q(membership__topic__isnull=True)))
