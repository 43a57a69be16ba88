"""Reads of the announcement and the class lists."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from kompeten.access.rules import batches_for
from kompeten.accounts.models import Role
from kompeten.batching.models import Placement
from kompeten.classroom.attendance_models import ATTENDED, AttendanceMark
from kompeten.classroom.models import Publication
from kompeten.classroom.session_models import (
    ClassroomPolicy,
    ClassSession,
    Facilitator,
    SessionAssignment,
    SessionKind,
)
from kompeten.programs.models import Batch, Program
from kompeten.rumpun.models import Membership


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
    """The counts of the organiser's announcement page, in three small aggregates instead of
    one join of every placement with its registration and group (issue 13: 100,000
    placements made that the bulk of the page).

    ``placed`` counts the placements of the programme's batches (no registration join);
    the not-yet-announced ones are few once the list is published, so ``pending`` and
    ``without_topic`` are counted among them only: an announced participant always has a
    group (publishing refuses anyone without one, and a group is only ever changed to
    another group, never removed)."""
    placements = Placement.objects.filter(batch__program=program)
    # One pass over the programme's placements, without joins but the batches'.
    values = placements.aggregate(placed=Count("batch_id"),
                                  pending=Count("pk", filter=Q(is_announced=False)))
    # The groups only of the few not announced yet (an anti-join over a short list). Not a
    # NOT EXISTS inside the first aggregate: the planner costs it for every row, which
    # pushes the query past PostgreSQL's JIT threshold (a second of compiling).
    grouped = Membership.objects.filter(placement=OuterRef("pk"), topic__isnull=False)
    without_topic = placements.filter(is_announced=False).exclude(Exists(grouped)).count()
    waiting = Placement.objects.filter(batch__isnull=True, registration__program=program).count()
    return AnnouncementSummary(placed=values["placed"],
                               announced=values["placed"] - values["pending"],
                               waiting=waiting, without_topic=without_topic)


def participant_counts(*, batch_ids: list[int]) -> dict[int, int]:
    """Placed participants per batch, for a page of batches (one grouped query)."""
    return dict(Placement.objects.filter(batch_id__in=batch_ids).order_by()
                .values_list("batch_id").annotate(n=Count("pk")).values_list("batch_id", "n"))


def class_lists(*, program: Program, announced_only: bool = True,
                batch_ids: list[int] | None = None) -> list[Batch]:
    """Batches with their participants in ``batch.members`` (by group, then name), three
    queries whatever the size; only ``batch_ids`` when given (a page of the public
    announcement). Only what the public may see is loaded: name with titles, agency name and
    group; never the NIP, phone or e-mail."""
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
    if batch_ids is not None:
        batches = batches.filter(pk__in=batch_ids)
    return [b for b in batches if b.members]


def announced_batches(*, program: Program, announced_only: bool = True) -> QuerySet[Batch]:
    """(pk, number) of the programme's batches with (announced) participants, by number:
    the index the announcement pages through. A query, not a list: the pages count it and
    load only their own slice (thousands of batches at national scale)."""
    # A semi-join (EXISTS): one index probe per batch instead of joining every placement
    # and removing the duplicates (100,000 rows at national scale).
    placed = Placement.objects.filter(batch=OuterRef("pk"))
    if announced_only:
        placed = placed.filter(is_announced=True)
    batches = Batch.objects.filter(Exists(placed), program=program)
    return batches.order_by("number").values_list("pk", "number")


def batch_position(index: QuerySet[Batch], number: int) -> int | None:
    """The 0-based position of batch ``number`` in an ``announced_batches`` index, or None
    when it is not in it (two small queries, no list of every batch)."""
    if not index.filter(number=number).exists():
        return None
    return index.filter(number__lt=number).count()


def search_announced(*, program: Program, query: str, limit: int = 50) -> list[Placement]:
    """Announced participants whose name contains ``query`` (public fields only)."""
    return list(Placement.objects.filter(
        registration__program=program, is_announced=True, batch__isnull=False,
        registration__plain_name__icontains=query)
        .select_related("registration__agency", "membership__topic", "batch__level")
        .only("pk", "batch__number", "batch__level__name", "batch__start_date",
              "membership__topic__name", "registration__full_name",
              "registration__plain_name", "registration__agency__name")
        .order_by("registration__plain_name", "pk")[:limit])


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


# -- the classroom days --------------------------------------------------------------------

def facilitator_batches(user) -> set[int]:
    """The ids of the batches a facilitator user serves: the batch-staff records of the access
    module, which assigning the facilitator to a session creates (classroom.sessions.assign)."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.FACILITATOR:
        return set()
    return set(batches_for(user).values_list("pk", flat=True))


def may_run_batch(user, batch_id: int) -> bool:
    """Organisers run every batch, facilitators the batches they teach in."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role == Role.ORGANISER:
        return True
    return user.role == Role.FACILITATOR and batch_id in facilitator_batches(user)


def participant_placement(user) -> Placement | None:
    """The logged-in participant's seat in a batch (the current programme's first)."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.PARTICIPANT:
        return None
    return (Placement.objects.filter(registration__user=user, batch__isnull=False)
            .select_related("registration", "batch__program", "batch__level")
            .order_by("-batch__program__is_current", "-batch__start_date").first())


def batch_sessions(batch: Batch) -> list[ClassSession]:
    return list(ClassSession.objects.filter(batch=batch).select_related("module")
                .prefetch_related(Prefetch(
                    "assignments",
                    queryset=SessionAssignment.objects.select_related("facilitator")))
                .order_by("starts_at"))


def facilitator_timetable(facilitator: Facilitator, *,
                          upcoming: bool = False) -> list[SessionAssignment]:
    """The facilitator's sessions in time order (``upcoming``: those not over yet)."""
    assignments = SessionAssignment.objects.filter(facilitator=facilitator)
    if upcoming:
        assignments = assignments.filter(ends_at__gte=timezone.now())
    return list(assignments.select_related("session__batch__level", "session__batch__program")
                .order_by("starts_at"))


def min_jp(program: Program) -> int:
    policy = ClassroomPolicy.objects.filter(program=program).first()
    return policy.min_jp if policy else ClassroomPolicy._meta.get_field("min_jp").default


@dataclass(frozen=True)
class AttendanceRow:
    placement: Placement
    marks: dict[int, AttendanceMark]  # session id -> mark
    jp: int
    eligible: bool


def attendance_table(batch: Batch) -> tuple[list[ClassSession], list[AttendanceRow], int]:
    """Sessions, one row per participant (marks and lesson JP attended), and the minimum."""
    sessions = batch_sessions(batch)
    minimum = min_jp(batch.program)
    placements = list(Placement.objects.filter(batch=batch)
                      .select_related("registration").order_by("registration__plain_name"))
    by_registration: dict[int, dict[int, AttendanceMark]] = defaultdict(dict)
    for mark in AttendanceMark.objects.filter(session__batch=batch):
        by_registration[mark.registration_id][mark.session_id] = mark
    lessons = {s.pk: s.jp for s in sessions if s.kind == SessionKind.LESSON}
    rows = []
    for placement in placements:
        marks = by_registration.get(placement.registration_id, {})
        jp = sum(lessons.get(sid, 0) for sid, m in marks.items() if m.status in ATTENDED)
        rows.append(AttendanceRow(placement, marks, jp, jp >= minimum))
    return sessions, rows, minimum


def jp_attended(registration) -> int:
    """Lesson JP a participant attended (present or late)."""
    return sum(AttendanceMark.objects.filter(
        registration=registration, status__in=ATTENDED, session__kind=SessionKind.LESSON)
        .values_list("session__jp", flat=True))


def training_certificate_eligible(registration) -> bool:
    """For the certificates issue: attended at least the programme's minimum JP."""
    return jp_attended(registration) >= min_jp(registration.program)


def day_marks(*, batch: Batch, day) -> tuple[list[ClassSession], dict[tuple[int, int], str]]:
    """The sessions of one day and their marks, to pre-fill the printed daftar hadir."""
    sessions = [s for s in ClassSession.objects.filter(batch=batch).order_by("starts_at")
                if timezone.localdate(s.starts_at) == day]
    marks = {(session_id, registration_id): status
             for session_id, registration_id, status in AttendanceMark.objects.filter(
                 session__in=sessions).values_list("session_id", "registration_id", "status")}
    return sessions, marks
