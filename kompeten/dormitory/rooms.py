"""Dormitory (asrama): who sleeps in which room, night by night.

Which nights a participant stays
    Officials travel from all provinces and arrive the evening before the first
    classroom day; after the last day they travel home. A batch running the days
    d..e therefore stays the nights d-1 .. e-1: a 2-day batch of 1-2 July stays the
    nights of 30 June and 1 July. With Program.dorm_arrival_night_before = False the
    nights are d .. e-1 (one night for a 2-day batch). Batches on overlapping dates
    share the dormitory on their common nights (1-2 Jul and 2-3 Jul both stay the
    night of 1 Jul), so rooms are assigned per night, not per batch.

Rules of the assignment (assign_rooms)
    * only placed participants (a batch, not the waiting list) who stay (stays_in_dorm);
    * a room never holds two genders on one night (gender from the NIP);
    * never more people than the room's capacity (2 unless set per room), beds 1..capacity;
    * a participant keeps last night's room and bed whenever it is still possible;
      arrivals first fill the free beds of rooms of their gender, then empty rooms, and
      people of the same batch are put together so that they also leave together;
    * when the rooms run out, who has no bed is reported (per night and gender),
      never dropped silently. If keeping everyone in place would leave people without
      a bed, the night is packed afresh instead when that houses more people.
Re-running replaces the assignments of the nights it covers (idempotent).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction

from kompeten.batching.models import Placement
from kompeten.dormitory import checks
from kompeten.dormitory.master import RoomSaved, create_rooms, save_room  # noqa: F401
from kompeten.dormitory.models import Room, RoomAssignment
from kompeten.programs.models import Batch, Program

ONE_DAY = dt.timedelta(days=1)
BULK_SIZE = 2000
FRONT = "L"  # men fill rooms from the front of the list, women from the back


# --------------------------------------------------------------------------- nights


def stay_nights(*, start: dt.date, end: dt.date, night_before: bool) -> list[dt.date]:
    """The nights (dates of the evening) a participant of a batch from start to end stays;
    from the evening before the first day when the programme says so."""
    first = start - ONE_DAY if night_before else start
    return [first + ONE_DAY * i for i in range((end - first).days)]


def batch_nights(*, batch: Batch) -> list[dt.date]:
    return stay_nights(start=batch.start_date, end=batch.end_date,
                       night_before=batch.program.dorm_arrival_night_before)


def program_nights(*, program: Program) -> list[dt.date]:
    """Every night on which some batch of the programme stays, in order."""
    nights: set[dt.date] = set()
    for start, end in Batch.objects.filter(program=program).values_list("start_date", "end_date"):
        nights.update(stay_nights(start=start, end=end,
                                  night_before=program.dorm_arrival_night_before))
    return sorted(nights)


# --------------------------------------------------------------------------- results


@dataclass
class NightSummary:
    night: dt.date
    people: dict[str, int]                      # gender -> staying that night
    rooms_used: int = 0
    singles: int = 0                            # rooms with one person only
    kept: int = 0                               # kept last night's bed
    changed: int = 0                            # bed differs from before this run (or new)
    unassigned: dict[str, list[int]] = field(default_factory=dict)  # gender -> placement ids

    @property
    def total(self) -> int:
        return sum(self.people.values())

    @property
    def unassigned_count(self) -> int:
        return sum(len(ids) for ids in self.unassigned.values())


@dataclass
class Summary:
    nights: list[NightSummary]
    assignments: int
    rooms_available: int

    @property
    def unassigned_count(self) -> int:
        return sum(n.unassigned_count for n in self.nights)


def natural_key(text: str) -> tuple:
    """'A 2' before 'A 10'."""
    return tuple(int(part) if part.isdigit() else part.lower()
                 for part in re.split(r"(\d+)", text))


@dataclass(frozen=True)
class _Room:
    id: int
    capacity: int


def _active_rooms() -> list[_Room]:
    """Active rooms in building/number order, locked against a concurrent run."""
    rows = list(Room.objects.select_for_update().filter(is_active=True)
                .values_list("pk", "building", "number", "capacity"))
    rows.sort(key=lambda r: (natural_key(r[1]), natural_key(r[2])))
    return [_Room(pk, capacity) for pk, _building, _number, capacity in rows]


# --------------------------------------------------------------------------- one night


@dataclass
class _Night:
    """The beds of one night while it is being filled."""

    rooms: list[_Room]
    beds: dict[int, dict[int, int]] = field(default_factory=dict)  # room -> bed -> placement
    gender: dict[int, str] = field(default_factory=dict)           # room -> gender
    unassigned: dict[str, list[int]] = field(default_factory=dict)

    def put(self, room: _Room, bed: int, pid: int, gender: str) -> None:
        self.beds.setdefault(room.id, {})[bed] = pid
        self.gender[room.id] = gender

    def place_in_empty_rooms(self, waiting: dict, blocked: set[int]) -> None:
        """Give whole empty rooms to the genders still waiting: men from the front of the
        room list, women from the back (so each keeps to one end of the dormitory), each
        time to the gender with the most people left (a shortage is shared in proportion)."""
        empty = [r for r in self.rooms if r.id not in self.beds and r.id not in blocked]
        lo, hi = 0, len(empty) - 1
        queues = {g: deque(waiting[g]) for g in sorted(waiting)}
        while lo <= hi:
            left = {g: len(q) for g, q in queues.items() if q}
            if not left:
                break
            gender = max(left, key=lambda g: (left[g], g == FRONT))
            if gender == FRONT:
                room, lo = empty[lo], lo + 1
            else:
                room, hi = empty[hi], hi - 1
            queue = queues[gender]
            for bed in range(1, room.capacity + 1):
                if not queue:
                    break
                self.put(room, bed, queue.popleft(), gender)
        self.unassigned = {g: list(q) for g, q in queues.items() if q}

    def fill_partial_rooms(self, waiting: dict[str, deque[int]]) -> None:
        """Arrivals first take the free beds in rooms already holding their gender."""
        for room in self.rooms:
            occupied = self.beds.get(room.id)
            if not occupied or len(occupied) >= room.capacity:
                continue
            queue = waiting.get(self.gender[room.id])
            if not queue:
                continue
            for bed in range(1, room.capacity + 1):
                if bed not in occupied and queue:
                    self.put(room, bed, queue.popleft(), self.gender[room.id])


def _stable_night(rooms, people, wishes, blocked) -> _Night:
    """Keep everyone whose wished bed is still usable: first tonight's bed from before
    this run (so a re-run changes nothing), then last night's; the others arrive and are
    filled around them. wishes = (tonight's beds, last night's beds), placement -> spot."""
    night = _Night(rooms)
    by_id = {r.id: r for r in rooms if r.id not in blocked}
    beds, room_gender = night.beds, night.gender
    placed: set[int] = set()
    for spots in wishes:
        if not spots:
            continue
        for gender, pids in people.items():
            for pid in pids:
                wish = spots.get(pid)
                if wish is None or pid in placed:
                    continue
                room_id, bed = wish
                room = by_id.get(room_id)
                if (room is not None and bed <= room.capacity
                        and room_gender.get(room_id, gender) == gender
                        and bed not in beds.get(room_id, ())):
                    night.put(room, bed, pid, gender)
                    placed.add(pid)
    arrivals = {g: deque(p for p in pids if p not in placed) for g, pids in people.items()}
    night.fill_partial_rooms(arrivals)
    night.place_in_empty_rooms(arrivals, blocked)
    return night


def _packed_night(rooms, people, wishes, order_of_room, blocked) -> _Night:
    """Pack the night afresh (full rooms), keeping room-mates next to each other."""
    night = _Night(rooms)
    far = (len(order_of_room) + 1, 0)
    current, previous = wishes

    def key(pid):
        wish = current.get(pid) or previous.get(pid)
        return (order_of_room.get(wish[0], far[0]), wish[1]) if wish else far

    night.place_in_empty_rooms({g: sorted(pids, key=key) for g, pids in people.items()},
                               blocked)
    return night


def _summarise(night_date, night: _Night, people, previous, current) -> NightSummary:
    beds = [(pid, (room_id, bed)) for room_id, room_beds in night.beds.items()
            for bed, pid in room_beds.items()]
    return NightSummary(
        night=night_date,
        people={g: len(p) for g, p in sorted(people.items())},
        rooms_used=len(night.beds),
        singles=sum(1 for room_beds in night.beds.values() if len(room_beds) == 1),
        kept=sum(1 for pid, spot in beds if previous.get(pid) == spot),
        changed=sum(1 for pid, spot in beds if current.get(pid) != spot),
        unassigned={g: sorted(ids) for g, ids in sorted(night.unassigned.items())},
    )


# --------------------------------------------------------------------------- services


def _staying_by_night(*, program: Program) -> tuple[dict, dict[int, str], set[int]]:
    """night -> gender -> placement ids (same batch together), placement -> gender, and
    the ids of all the programme's placements."""
    batches = {pk: (number, start, end) for pk, number, start, end in
               Batch.objects.filter(program=program).order_by()
               .values_list("pk", "number", "start_date", "end_date")}
    nights_of = {pk: stay_nights(start=s, end=e, night_before=program.dorm_arrival_night_before)
                 for pk, (_n, s, e) in batches.items()}
    rows = (Placement.objects.filter(registration__program=program)
            .values_list("pk", "registration__gender", "batch_id", "stays_in_dorm"))
    staying: dict[dt.date, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    genders: dict[int, str] = {}
    everyone: set[int] = set()
    for pid, gender, batch_id, stays in rows:
        everyone.add(pid)
        nights = nights_of.get(batch_id)
        if not nights or not stays:
            continue
        genders[pid] = gender
        # Those who leave on the same day, and of the same batch, go together.
        key = (nights[-1], batches[batch_id][0], pid)
        for night in nights:
            staying[night][gender].append(key)
    ordered = {night: {g: [k[2] for k in sorted(keys)] for g, keys in by_gender.items()}
               for night, by_gender in staying.items()}
    return ordered, genders, everyone


@transaction.atomic
def assign_rooms(*, program: Program, nights: Iterable[dt.date] | None = None) -> Summary:
    """(Re)assign the dormitory beds of the programme for the given nights (default: all)."""
    rooms = _active_rooms()
    staying, genders, ours = _staying_by_night(program=program)
    if nights is None:
        todo = set(staying) | set(
            RoomAssignment.objects.filter(placement__registration__program=program)
            .order_by().values_list("night", flat=True).distinct())
    else:
        todo = set(nights)
    todo_sorted = sorted(todo)
    order_of_room = {r.id: i for i, r in enumerate(rooms)}

    # Every bed taken on these nights and the night before them, by anyone. Ours are the
    # beds held before this run: tonight's (kept if still sound, so a re-run changes
    # nothing) and last night's. Rooms another programme uses on a night are left alone.
    # (No join to the programme here, nor the model's ordering by room: for 200,000 rows
    # either makes SQLite take several times longer than reading the rows.)
    outside = {n - ONE_DAY for n in todo_sorted} - todo
    held: dict[dt.date, dict[int, tuple[int, int]]] = defaultdict(dict)
    row_ids: dict[dt.date, dict[int, int]] = defaultdict(dict)
    blocked: dict[dt.date, set[int]] = defaultdict(set)
    for pk, night, pid, room_id, bed, gender in (
            RoomAssignment.objects.filter(night__in=sorted(todo | outside)).order_by()
            .values_list("pk", "night", "placement_id", "room_id", "bed", "gender")):
        if pid in ours:
            held[night][pid] = (room_id, bed)
            # a row whose stored gender is stale is written again even if the bed stays
            row_ids[night][pid] = pk if gender == genders.get(pid) else -pk
        else:
            blocked[night].add(room_id)

    writer = _Writer()
    summaries, filled = [], 0
    previous: dict[int, tuple[int, int]] = {}
    for night_date in todo_sorted:
        if night_date - ONE_DAY not in todo:
            previous = held.get(night_date - ONE_DAY, {})
        current = held.pop(night_date, {})

        wishes = (current, previous)
        people = staying.get(night_date, {})
        night = _stable_night(rooms, people, wishes, blocked[night_date])
        if night.unassigned:
            packed = _packed_night(rooms, people, wishes, order_of_room, blocked[night_date])
            if (sum(map(len, packed.unassigned.values()))
                    < sum(map(len, night.unassigned.values()))):
                night = packed
        summaries.append(_summarise(night_date, night, people, previous, current))
        previous = {pid: (room_id, bed) for room_id, beds in night.beds.items()
                    for bed, pid in beds.items()}
        filled += len(previous)
        # Write only what changed: a re-run that keeps everyone writes nothing.
        ids = row_ids.pop(night_date, {})
        writer.delete(abs(ids[pid]) for pid, spot in current.items()
                      if previous.get(pid) != spot or ids[pid] < 0)
        writer.insert((spot[0], night_date, spot[1], pid, genders[pid])
                      for pid, spot in previous.items()
                      if current.get(pid) != spot or ids.get(pid, 0) < 0)
    writer.flush()
    checks.program_changed(program_id=program.pk)
    return Summary(nights=summaries, assignments=filled, rooms_available=len(rooms))


class _Writer:
    """Deletes and inserts of room assignments in large batches, deletes first.

    Nights are written in order and the unique constraints hold within a night, so
    flushing the pending deletes before the pending inserts is always safe. Inserts use
    the model's own table and columns: COPY on PostgreSQL, elsewhere multi-row INSERT
    statements (ROWS_PER_INSERT rows, values as parameters). bulk_create builds a model
    instance and prepares each value in Python: bench/writers.py (PostgreSQL, 100,000
    participants, 200,040 room-nights) measured assign_rooms at 9.6 s with this writer and
    53.3 s with bulk_create(batch_size=2000) (5.6x); executemany costs a round trip per row.
    """

    ROWS_PER_INSERT = 1000  # 5,000 parameters: well below SQLite's and PostgreSQL's limits

    def __init__(self) -> None:
        self.deletes: list[int] = []
        self.inserts: list[tuple] = []
        meta = RoomAssignment._meta
        columns = [meta.get_field(name).column
                   for name in ("room", "night", "bed", "placement", "gender")]
        quote = connection.ops.quote_name
        self.head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(map(quote, columns))}) "
        self.copy = f"COPY {quote(meta.db_table)} ({', '.join(map(quote, columns))}) FROM STDIN"
        self.row = f"({', '.join(['%s'] * len(columns))})"

    def delete(self, ids: Iterable[int]) -> None:
        self.deletes.extend(ids)

    def insert(self, rows: Iterable[tuple]) -> None:
        self.inserts.extend(rows)
        if len(self.inserts) >= BULK_SIZE * 5:
            self.flush()

    def flush(self) -> None:
        for start in range(0, len(self.deletes), BULK_SIZE):
            RoomAssignment.objects.filter(pk__in=self.deletes[start:start + BULK_SIZE]).delete()
        self.deletes = []
        adapt = connection.ops.adapt_datefield_value
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and self.inserts:
                # COPY: PostgreSQL's bulk load, no SQL text to build or parse per row.
                with cursor.cursor.copy(self.copy) as copy:
                    for row in self.inserts:
                        copy.write_row(row)
                self.inserts = []
            for start in range(0, len(self.inserts), self.ROWS_PER_INSERT):
                chunk = self.inserts[start:start + self.ROWS_PER_INSERT]
                params = [value for room, night, bed, pid, gender in chunk
                          for value in (room, adapt(night), bed, pid, gender)]
                # Identifiers come from the model and are quoted; values are parameters.
                sql = self.head + "VALUES " + ", ".join([self.row] * len(chunk))
                cursor.execute(sql, params)
        self.inserts = []


@dataclass
class StayChange:
    stays: bool
    removed: int = 0                                     # beds given up
    assigned: list[dt.date] = field(default_factory=list)
    without_bed: list[dt.date] = field(default_factory=list)
    handed_over: int = 0                                 # freed beds given to someone waiting


def _hand_over(*, program: Program, freed: list[tuple], rooms: list[_Room]) -> int:
    """Give freed beds to staying people who have none that night: someone of the same
    gender, or of either gender when the room is now empty (a few queries per freed
    night: at most the nights of one batch)."""
    batches = list(Batch.objects.filter(program=program).order_by()
                   .values_list("pk", "start_date", "end_date"))
    by_id = {r.id: r for r in rooms}
    given, last = 0, None
    for night, room_id, bed, gender in sorted(freed):
        room = by_id.get(room_id)
        if room is None or bed > room.capacity:
            continue  # closed or made smaller since: the next assign_rooms sorts it out
        others = set(RoomAssignment.objects.filter(room_id=room_id, night=night).order_by()
                     .values_list("gender", flat=True))
        staying = [pk for pk, start, end in batches if night in stay_nights(
            start=start, end=end, night_before=program.dorm_arrival_night_before)]
        waiting = (Placement.objects.filter(batch_id__in=staying, stays_in_dorm=True)
                   .exclude(room_assignments__night=night)
                   .order_by("batch__number", "pk").values_list("pk", "registration__gender"))
        if others:
            waiting = waiting.filter(registration__gender__in=others)
        waiting = list(waiting)
        if not waiting:
            continue
        # the same person as on the night before (one room for them), else the same gender
        pid, their_gender = next((w for w in waiting if w[0] == last), None) or next(
            (w for w in waiting if w[1] == gender), waiting[0])
        RoomAssignment.objects.create(room_id=room_id, night=night, bed=bed, placement_id=pid,
                                      gender=their_gender)
        given, last = given + 1, pid
    return given


@transaction.atomic
def set_staying(*, placement: Placement, stays: bool) -> StayChange:
    """Mark whether a participant sleeps in the dormitory; free or find their beds.

    Not staying: their beds are freed; on a night when someone is still without a bed
    (a shortage), the freed bed goes to them at once (same gender as the room-mates, or
    either gender when the room is now empty).
    Staying again: on each of their nights they get last night's room if it has a free
    bed, else a free bed beside someone of the same gender, else an empty room; the
    nights without any free bed are returned (and shown), never hidden.
    """
    # The rooms are locked first, as assign_rooms does, so that the two never wait for
    # each other (assign_rooms' inserts need a key-share lock on the placements).
    rooms = _active_rooms()
    placement = (Placement.objects.select_for_update(of=("self",))
                 .select_related("batch", "registration")
                 .get(pk=placement.pk))
    placement.stays_in_dorm = stays
    placement.save(update_fields=["stays_in_dorm", "updated_at"])
    change = StayChange(stays=stays)
    if not stays:
        freed = list(placement.room_assignments.values_list("night", "room_id", "bed", "gender"))
        change.removed, _detail = placement.room_assignments.all().delete()
        change.handed_over = _hand_over(program=placement.registration.program, freed=freed,
                                        rooms=rooms)
        checks.nights_changed(program=placement.registration.program,
                              nights=[row[0] for row in freed]
                              + (batch_nights(batch=placement.batch) if placement.batch else []))
        return change
    if placement.batch is None:
        checks.nights_changed(program=placement.registration.program,
                              nights=placement.room_assignments.values_list("night", flat=True))
        return change
    gender = placement.registration.gender
    nights = batch_nights(batch=placement.batch)
    taken = defaultdict(dict)  # night -> room -> {bed: gender}
    mine = {}
    for night, room_id, bed, pid, room_gender in (
            RoomAssignment.objects.filter(night__in=nights).order_by()
            .values_list("night", "room_id", "bed", "placement_id", "gender")):
        taken[night].setdefault(room_id, {})[bed] = room_gender
        if pid == placement.pk:
            mine[night] = (room_id, bed)
    new_rows = []
    for night in nights:
        if night in mine:
            continue
        spot = _free_bed(rooms, taken[night], gender, prefer=mine.get(night - ONE_DAY))
        if spot is None:
            change.without_bed.append(night)
            continue
        mine[night] = spot
        taken[night].setdefault(spot[0], {})[spot[1]] = gender
        new_rows.append(RoomAssignment(room_id=spot[0], night=night, bed=spot[1],
                                       placement=placement, gender=gender))
        change.assigned.append(night)
    RoomAssignment.objects.bulk_create(new_rows)
    checks.nights_changed(program=placement.registration.program, nights=nights)
    return change


def _free_bed(rooms: list[_Room], occupied: dict[int, dict[int, str]], gender: str,
              prefer: tuple[int, int] | None) -> tuple[int, int] | None:
    def free_in(room: _Room) -> int | None:
        beds = occupied.get(room.id, {})
        if any(g != gender for g in beds.values()):
            return None
        return next((b for b in range(1, room.capacity + 1) if b not in beds), None)

    candidates = [r for r in rooms if prefer and r.id == prefer[0]]
    candidates += [r for r in rooms if occupied.get(r.id)]   # beside the same gender
    candidates += [r for r in rooms if not occupied.get(r.id)]
    for room in candidates:
        bed = free_in(room)
        if bed is not None:
            return room.id, bed
    return None


def release_nights(placement: Placement) -> int:
    """A participant moved to another batch gives up the nights of the old one."""
    released, _by_model = RoomAssignment.objects.filter(placement=placement).delete()
    program_id = (Placement.objects.filter(pk=placement.pk)
                  .values_list("registration__program_id", flat=True).first())
    if program_id is not None:
        checks.program_changed(program_id=program_id)
    return released
