"""Independent check of batch placement: counts violations of every hard rule.

Written apart from kompeten.batching.services on purpose (it shares no code with it):
it reads the raw rows, recomputes fills, free seats and agency counts itself, so that a
bug in the placement cannot hide in shared code. ``check_rows`` works on plain tuples
(fast, used by the benchmark and the property tests); ``check_program`` loads them.

The rules, per programme (a "level batch" is a batch of the programme and of the level):

placed_wrong_program
    a placement in a batch that does not belong to the registration's programme.
placed_wrong_level
    a placement in a batch of another level than the registration's.
batch_over_capacity
    a batch holding more placements than its capacity (counted once per batch).
seat_out_of_range
    a placement whose seat is not within 1..capacity of its batch (or has no seat).
seat_taken_twice
    a (batch, seat) held by more than one placement (one count per extra holder).
placed_not_accepted
    a placement (seat or waiting list) of a registration whose status is not "accepted".
accepted_unplaced
    an accepted registration with no placement at all (after a run everybody accepted is
    seated or on the waiting list).
waiting_with_free_seat
    a participant on the waiting list while a level batch has a free seat
    (free = capacity - placements in the batch > 0).
agency_spread
    Agency A is "avoidably concentrated" in level batch X when another level batch Y
    has a free seat, holds at least two officials of A fewer than X
    (count_X(A) >= count_Y(A) + 2), and moving one of them from X to Y would not lose A's
    date preference (Y lies within A's window, or X does not, or A has none). This is the
    rule "two officials of an agency in one batch while another batch has none of them and
    has room", generalised to any imbalance of two or more. One count per (agency, batch X).
preference_missed_with_room
    an automatically placed (not is_manual) official of an agency with a date preference
    sits in a level batch outside the window while a level batch inside the window still
    has a free seat.

A date preference is honoured when the batch's start and end date lie within the agency's
window [earliest, latest]. The report also gives the share of honoured preferences among
the placed officials of agencies that have one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kompeten.batching.models import AgencyDatePreference, Placement
from kompeten.programs.models import Batch, Level, Program
from kompeten.registration.models import Registration

ACCEPTED = "accepted"

PLACEMENT_RULES = {
    "placed_wrong_program": _("peserta ditempatkan di angkatan penyelenggaraan lain"),
    "placed_wrong_level": _("peserta ditempatkan di angkatan jenjang lain"),
    "batch_over_capacity": _("angkatan melebihi kapasitas"),
    "seat_out_of_range": _("nomor kursi di luar 1 sampai kapasitas angkatan"),
    "seat_taken_twice": _("satu kursi dipakai lebih dari satu peserta"),
    "placed_not_accepted": _("peserta yang tidak berstatus diterima ikut ditempatkan"),
    "accepted_unplaced": _("peserta diterima yang tidak ditempatkan dan tidak di daftar tunggu"),
    "waiting_with_free_seat": _("peserta di daftar tunggu padahal masih ada kursi kosong di "
                                "angkatan jenjangnya"),
    "agency_spread": _("peserta satu instansi menumpuk di satu angkatan padahal angkatan lain "
                       "yang masih punya kursi berisi sedikitnya dua orang lebih sedikit dari "
                       "instansi itu"),
    "preference_missed_with_room": _("preferensi tanggal instansi tidak dipenuhi padahal "
                                     "angkatan dalam rentang tanggalnya masih punya kursi"),
}

# Not broken rules but work still to do: accepted officials without a placement are the
# normal state before a run (and after new acceptances); the overview lists them as
# "belum ditempatkan" instead of warning about them.
PENDING_RULES = frozenset({"accepted_unplaced"})

# (id, level_id, capacity, start_date, end_date): the batches of one programme
BatchRow = tuple[int, int, int, dt.date, dt.date]
# (id, level_id, agency_id, status): the registrations of the programme
RegistrationRow = tuple[int, int, int, str]
# (registration_id, batch_id or None, seat or None, is_manual)
PlacementRow = tuple[int, "int | None", "int | None", bool]


@dataclass
class Report:
    """Violations per rule (all 0 when sound) and the figures around them."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PLACEMENT_RULES, 0))
    placed: int = 0
    waiting: int = 0
    with_preference: int = 0      # placed officials of agencies with a date preference
    preference_possible: int = 0  # ... whose window holds at least one batch of their level
    preference_honoured: int = 0
    # per level of the registrations judged: {level_id: {"placed", "waiting", "unplaced"}}
    by_level: dict[int, dict[str, int]] = field(default_factory=dict)

    def level_counts(self, level_id: int) -> dict[str, int]:
        return self.by_level.setdefault(level_id, {"placed": 0, "waiting": 0, "unplaced": 0})

    def merge(self, counts: dict[str, int]) -> Report:
        """Add the counts of another checker (e.g. the dormitory's) to this report."""
        for rule, count in counts.items():
            self.counts[rule] = self.counts.get(rule, 0) + count
        return self

    @property
    def violations(self) -> int:
        return sum(self.counts.values())

    @property
    def ok(self) -> bool:
        return self.violations == 0

    @property
    def preference_share(self) -> float | None:
        if not self.with_preference:
            return None
        return self.preference_honoured / self.with_preference

    @property
    def preference_share_possible(self) -> float | None:
        """Honoured share among those whose window holds a batch of their level at all."""
        if not self.preference_possible:
            return None
        return self.preference_honoured / self.preference_possible

    def problems(self, *, pending: bool = True) -> list[tuple[str, str, int]]:
        """(rule, label, count) of every rule with violations; pending=False leaves out
        the PENDING_RULES (the state before a run)."""
        return [(rule, str(PLACEMENT_RULES.get(rule, rule)), count)
                for rule, count in self.counts.items()
                if count and (pending or rule not in PENDING_RULES)]


def check_rows(*, batches: Iterable[BatchRow], registrations: Iterable[RegistrationRow],
               placements: Iterable[PlacementRow],
               preferences: dict[int, tuple[dt.date, dt.date]]) -> Report:
    """Check one programme given as plain rows (see the module docstring for the rules)."""
    report = Report()
    counts = report.counts
    batch_of = {row[0]: row for row in batches}
    registration_of = {row[0]: row for row in registrations}

    def in_window(agency_id: int, batch_id: int) -> bool:
        window = preferences.get(agency_id)
        if window is None:
            return True
        _id, _level, _cap, start, end = batch_of[batch_id]
        return window[0] <= start and end <= window[1]

    occupants: Counter = Counter()            # batch -> placements in it
    seats: Counter = Counter()                # (batch, seat) -> holders
    agency_counts: dict[tuple[int, int], Counter] = defaultdict(Counter)  # (level, agency)
    seated: list[tuple[int, int, bool]] = []  # (registration, batch, is_manual), own level
    waiting_levels: list[int] = []
    has_placement = set()
    for registration_id, batch_id, seat, is_manual in placements:
        has_placement.add(registration_id)
        batch = batch_of.get(batch_id)
        if batch is not None:   # every seat of our batches counts, whoever holds it
            occupants[batch_id] += 1
            seats[(batch_id, seat)] += 1
            if seat is None or not 1 <= seat <= batch[2]:
                counts["seat_out_of_range"] += 1
        reg = registration_of.get(registration_id)
        if reg is None:
            continue  # a registration outside the check: only its seat counts
        _rid, level_id, agency_id, status = reg
        if status != ACCEPTED:
            counts["placed_not_accepted"] += 1
        if batch_id is None:
            report.waiting += 1
            report.level_counts(level_id)["waiting"] += 1
            waiting_levels.append(level_id)
            continue
        report.placed += 1
        report.level_counts(level_id)["placed"] += 1
        if batch is None:
            counts["placed_wrong_program"] += 1
            continue
        if batch[1] != level_id:
            counts["placed_wrong_level"] += 1
            continue
        agency_counts[(level_id, agency_id)][batch_id] += 1
        seated.append((registration_id, batch_id, is_manual))

    counts["seat_taken_twice"] = sum(n - 1 for n in seats.values() if n > 1)
    counts["batch_over_capacity"] = sum(
        1 for batch_id, n in occupants.items() if n > batch_of[batch_id][2])
    for rid, level_id, _agency, status in registration_of.values():
        if status == ACCEPTED and rid not in has_placement:
            counts["accepted_unplaced"] += 1
            report.level_counts(level_id)["unplaced"] += 1

    free: dict[int, int] = {bid: row[2] - occupants[bid] for bid, row in batch_of.items()}
    with_room_by_level: dict[int, set[int]] = defaultdict(set)
    for bid, row in batch_of.items():
        if free[bid] > 0:
            with_room_by_level[row[1]].add(bid)
    counts["waiting_with_free_seat"] = sum(
        1 for level_id in waiting_levels if with_room_by_level.get(level_id))

    # agency spread, per (level, agency): the smallest count among level batches with room
    # (0 as soon as one of them holds nobody of the agency), inside and outside the window
    for (level_id, agency_id), per_batch in agency_counts.items():
        with_room = with_room_by_level.get(level_id, set())
        if not with_room:
            continue
        preferred = ({bid for bid in with_room if in_window(agency_id, bid)}
                     if agency_id in preferences else with_room)
        lowest_all = _lowest(with_room, per_batch)
        lowest_preferred = _lowest(preferred, per_batch)
        for bid, count in per_batch.items():
            if count < 2:
                continue
            # Y must lie in the window whenever X does (else the move loses the preference)
            lowest = lowest_preferred if in_window(agency_id, bid) else lowest_all
            if lowest is not None and count >= lowest + 2:
                counts["agency_spread"] += 1

    # date preferences: honoured share, and misses while the window still had room
    window_has_room: dict[tuple[int, int], bool] = {}
    level_batches: dict[int, list[int]] = defaultdict(list)
    for bid, row in batch_of.items():
        level_batches[row[1]].append(bid)
    window_exists: dict[tuple[int, int], bool] = {}
    for registration_id, batch_id, is_manual in seated:
        _rid, level_id, agency_id, _status = registration_of[registration_id]
        if agency_id not in preferences:
            continue
        report.with_preference += 1
        key = (level_id, agency_id)
        if key not in window_exists:
            window_exists[key] = any(in_window(agency_id, bid) for bid in level_batches[level_id])
        report.preference_possible += window_exists[key]
        if in_window(agency_id, batch_id):
            report.preference_honoured += 1
            continue
        if is_manual:
            continue
        if key not in window_has_room:
            window_has_room[key] = any(in_window(agency_id, bid)
                                       for bid in with_room_by_level.get(level_id, ()))
        if window_has_room[key]:
            counts["preference_missed_with_room"] += 1
    return report


def _lowest(batch_ids: set[int], per_batch: Counter) -> int | None:
    """Smallest count of the agency over these batches (None when there are none)."""
    if not batch_ids:
        return None
    present = sum(1 for bid, count in per_batch.items() if count and bid in batch_ids)
    if present < len(batch_ids):
        return 0
    return min(per_batch[bid] for bid in batch_ids)


def check_program(*, program: Program, level: Level | None = None) -> Report:
    """Load the programme's batches, registrations and placements and check them; with a
    level, only that level's officials are judged (every seat of its batches still counts)."""
    batches = list(Batch.objects.filter(program=program).values_list(
        "pk", "level_id", "capacity", "start_date", "end_date"))
    registrations = Registration.objects.filter(program=program)
    placements = Placement.objects.filter(registration__program=program)
    if level is not None:
        registrations = registrations.filter(level=level)
        placements = Placement.objects.filter(
            Q(registration__program=program, registration__level=level)
            | Q(batch__program=program, batch__level=level))
    registrations = list(registrations.values_list("pk", "level_id", "agency_id", "status"))
    placements = list(placements.values_list("registration_id", "batch_id", "seat",
                                             "is_manual"))
    preferences = {agency_id: (earliest, latest) for agency_id, earliest, latest in
                   AgencyDatePreference.objects.filter(program=program)
                   .values_list("agency_id", "earliest", "latest")}
    return check_rows(batches=batches, registrations=registrations, placements=placements,
                      preferences=preferences)
