"""Reads for the dormitory pages: a fixed number of queries however many people stay."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from kompeten.batching.models import Placement
from kompeten.dormitory.models import RoomAssignment
from kompeten.dormitory.rooms import natural_key, stay_nights
from kompeten.programs.models import Batch, Program


@dataclass
class NightRow:
    night: dt.date
    staying: dict[str, int] = field(default_factory=lambda: {"L": 0, "P": 0})
    not_staying: int = 0
    assigned: int = 0
    rooms_used: int = 0
    batches: list[int] = field(default_factory=list)  # batch numbers staying that night
    problems: int = 0                                  # from the stored room check

    @property
    def staying_total(self) -> int:
        return sum(self.staying.values())

    @property
    def unassigned(self) -> int:
        return max(0, self.staying_total - self.assigned)


def _batch_nights(program: Program) -> dict[int, tuple[int, list[dt.date]]]:
    night_before = program.dorm_arrival_night_before
    return {pk: (number, stay_nights(start=start, end=end, night_before=night_before))
            for pk, number, start, end in
            Batch.objects.filter(program=program)
            .values_list("pk", "number", "start_date", "end_date")}


def night_months(*, program: Program) -> list[dt.date]:
    """The first day of each month with a night on which some batch stays (1 query)."""
    return sorted({night.replace(day=1) for _number, nights in _batch_nights(program).values()
                   for night in nights})


def night_overview(*, program: Program, start: dt.date | None = None,
                   end: dt.date | None = None) -> list[NightRow]:
    """One row per night (from start to end, both included, default: every night) on which
    placed participants of the programme stay (3 queries; only the batches and beds of
    those nights are read)."""
    batches = _batch_nights(program)
    if start is not None and end is not None:
        batches = {pk: (number, [n for n in nights if start <= n <= end])
                   for pk, (number, nights) in batches.items()}
        batches = {pk: value for pk, value in batches.items() if value[1]}
    rows: dict[dt.date, NightRow] = {}
    counts = (Placement.objects.filter(registration__program=program, batch__isnull=False)
              .values_list("batch_id", "registration__gender", "stays_in_dorm")
              .annotate(n=Count("pk")).order_by())
    # through the batch (a handful of rows) rather than the registration (all of them):
    # a placement's batch is of its registration's programme
    assigned = (RoomAssignment.objects
                .filter(placement__batch__program=program, placement__stays_in_dorm=True))
    if start is not None and end is not None:
        counts = (Placement.objects.filter(batch_id__in=sorted(batches))
                  .values_list("batch_id", "registration__gender", "stays_in_dorm")
                  .annotate(n=Count("pk")).order_by())
        assigned = assigned.filter(night__range=(start, end))
    for batch_id, gender, stays, n in counts:
        number, nights = batches.get(batch_id, (None, []))
        for night in nights:
            row = rows.setdefault(night, NightRow(night))
            if number not in row.batches:
                row.batches.append(number)
            if stays:
                row.staying[gender] = row.staying.get(gender, 0) + n
            else:
                row.not_staying += n
    assigned = (assigned.values_list("night").annotate(people=Count("pk"),
                                                       rooms=Count("room", distinct=True))
                .order_by())
    for night, people, rooms in assigned:
        row = rows.setdefault(night, NightRow(night))
        row.assigned, row.rooms_used = people, rooms
    for row in rows.values():
        row.batches.sort()
    return [rows[n] for n in sorted(rows)]


def batches_staying(*, program: Program, night: dt.date) -> list[int]:
    """Primary keys of the programme's batches that stay on this night."""
    return [pk for pk, (_number, nights) in _batch_nights(program).items() if night in nights]


@dataclass(frozen=True)
class RoomRef:
    pk: int
    building: str
    number: str

    def __str__(self) -> str:
        return f"{self.building} {self.number}"


@dataclass(frozen=True)
class AgencyRef:
    name: str


@dataclass(frozen=True)
class PersonRef:
    full_name: str
    gender: str
    agency: AgencyRef


@dataclass(frozen=True)
class BatchRef:
    number: int


@dataclass(frozen=True)
class PlacementRef:
    pk: int
    registration: PersonRef
    batch: BatchRef | None


@dataclass
class Bed:
    room: RoomRef
    bed: int
    placement: PlacementRef
    first_in_room: bool = False


def night_roster(*, program: Program, night: dt.date) -> list[Bed]:
    """Who sleeps where on one night, by building, room (natural order) and bed (1 query
    of that night's beds only, read as plain values)."""
    # Filtered by the night alone in SQL (its index; at most every bed of the dormitory),
    # the programme in Python: the plan then never walks the programme's registrations.
    rows = (RoomAssignment.objects.filter(night=night).order_by()
            .values_list("room_id", "room__building", "room__number", "bed", "placement_id",
                         "placement__registration__full_name",
                         "placement__registration__gender",
                         "placement__registration__agency__name", "placement__batch__number",
                         "placement__registration__program_id"))
    rooms: dict[int, RoomRef] = {}
    beds = []
    for room_id, building, number, bed, pid, name, gender, agency, batch, program_id in rows:
        if program_id != program.pk:
            continue
        room = rooms.get(room_id) or rooms.setdefault(room_id, RoomRef(room_id, building, number))
        beds.append(Bed(room, bed, PlacementRef(pid, PersonRef(name, gender, AgencyRef(agency)),
                                                BatchRef(batch) if batch is not None else None)))
    keys = {pk: (natural_key(r.building), natural_key(r.number)) for pk, r in rooms.items()}
    beds.sort(key=lambda b: (keys[b.room.pk], b.bed))
    for index, bed in enumerate(beds):
        bed.first_in_room = index == 0 or beds[index - 1].room.pk != bed.room.pk
    return beds


def _placements_of_night(program: Program, night: dt.date) -> QuerySet[Placement]:
    return (Placement.objects
            .filter(registration__program=program,
                    batch_id__in=batches_staying(program=program, night=night))
            .select_related("batch", "registration__agency")
            .order_by("batch__number", "registration__plain_name"))


def night_without_bed(*, program: Program, night: dt.date) -> list[Placement]:
    """Staying participants who have no bed on this night (a shortage, or not yet run)."""
    return list(_placements_of_night(program, night).filter(stays_in_dorm=True)
                .exclude(room_assignments__night=night))


def night_not_staying(*, program: Program, night: dt.date) -> list[Placement]:
    return list(_placements_of_night(program, night).filter(stays_in_dorm=False))


def roster_by_room(beds: list[Bed]) -> list[tuple[RoomRef, list[Bed]]]:
    grouped: dict[int, list[Bed]] = defaultdict(list)
    rooms: dict[int, RoomRef] = {}
    for bed in beds:
        grouped[bed.room.pk].append(bed)
        rooms[bed.room.pk] = bed.room
    return [(rooms[pk], grouped[pk]) for pk in grouped]


def stays_of(*, placement: Placement) -> list[RoomAssignment]:
    """A participant's beds, night by night (for their file)."""
    return list(placement.room_assignments.select_related("room").order_by("night"))
