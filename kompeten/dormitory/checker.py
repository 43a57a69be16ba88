"""Independent check of the dormitory assignment: counts violations of each hard rule.

Written apart from kompeten.dormitory.rooms on purpose: it reads the raw rows and
recomputes everything (the nights a batch stays, the gender from the registration,
free beds) itself, so a bug in the assignment cannot hide in shared code. The result
has the same shape as the placement checker's (rule -> count), to print side by side.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kompeten.batching.models import Placement
from kompeten.dormitory.models import Room, RoomAssignment
from kompeten.programs.models import Batch, Program

# rule -> what it counts
ROOM_RULES = {
    "room_mixed_gender": _("kamar berisi laki-laki dan perempuan pada satu malam"),
    "room_over_capacity": _("kamar melebihi kapasitas pada satu malam (orang atau nomor tempat "
                            "tidur)"),
    "person_two_beds": _("peserta dengan lebih dari satu tempat tidur pada satu malam"),
    "staying_without_bed": _("peserta menginap tanpa kamar padahal ada tempat tidur kosong "
                             "untuk jenis kelaminnya malam itu"),
    "not_staying_with_bed": _("peserta tidak menginap tetapi mendapat tempat tidur"),
    "bed_on_wrong_night": _("tempat tidur pada malam peserta tidak menginap (termasuk daftar "
                            "tunggu)"),
    "inactive_room": _("tempat tidur di kamar yang tidak dipakai"),
    "gender_mismatch": _("jenis kelamin pada penempatan kamar berbeda dengan data peserta"),
}


def _nights(start: dt.date, end: dt.date, night_before: bool) -> set[dt.date]:
    day = dt.timedelta(days=1)
    night = start - day if night_before else start
    nights = set()
    while night < end:
        nights.add(night)
        night += day
    return nights


def check_rooms(*, program: Program) -> dict[str, int]:
    """Count violations of every dormitory rule for the programme (all 0 when sound)."""
    counts = dict.fromkeys(ROOM_RULES, 0)
    for night_counts in check_by_night(program=program).values():
        for rule, count in night_counts.items():
            counts[rule] += count
    return counts


def check_by_night(*, program: Program,
                   nights: Iterable[dt.date] | None = None) -> dict[dt.date, dict[str, int]]:
    """The same counts, night by night (every rule counts something of one night: a room,
    a bed, a person on a night). With ``nights`` only those nights are read and returned
    (each with its counts, all 0 when sound): a change to a few nights is checked again
    without reading the whole programme; check_rooms is the sum over all nights."""
    wanted = None if nights is None else set(nights)
    night_before = program.dorm_arrival_night_before
    batch_nights = {pk: _nights(start, end, night_before) for pk, start, end in
                    Batch.objects.filter(program=program)
                    .values_list("pk", "start_date", "end_date")}
    rooms = {pk: (capacity, active) for pk, capacity, active in
             Room.objects.values_list("pk", "capacity", "is_active")}

    # Every bed taken on the programme's nights, whoever holds it (rooms are shared).
    nights_in_play = set().union(*batch_nights.values()) if batch_nights else set()
    # .order_by(): the model's ordering would join and sort by room building and number
    own = RoomAssignment.objects.filter(placement__registration__program=program)
    if wanted is not None:
        nights_in_play &= wanted
        own = own.filter(night__in=sorted(wanted))
    own_nights = set(own.order_by().values_list("night", flat=True).distinct())
    checked = nights_in_play | own_nights
    rows = list(RoomAssignment.objects.filter(night__in=sorted(checked))
                .order_by().values_list("room_id", "night", "bed", "placement_id", "gender"))
    placements = Placement.objects.filter(registration__program=program)
    if wanted is not None:
        # only who stays on these nights or holds a bed on them
        staying_batches = [pk for pk, their in batch_nights.items() if their & checked]
        placements = placements.filter(Q(batch_id__in=staying_batches)
                                       | Q(pk__in={row[3] for row in rows}))
    people = {pk: (gender, stays, batch_nights.get(batch_id, set()) if batch_id else set())
              for pk, gender, stays, batch_id in
              placements.values_list("pk", "registration__gender", "stays_in_dorm", "batch_id")}

    by_night: dict[dt.date, dict[str, int]] = {
        night: dict.fromkeys(ROOM_RULES, 0) for night in (checked if wanted is None
                                                          else wanted | checked)}
    occupants: dict[tuple, list] = defaultdict(list)     # (room, night) -> [(bed, gender)]
    beds_of_person: Counter = Counter()                  # (placement, night)
    for room_id, night, bed, pid, stored_gender in rows:
        person = people.get(pid)
        gender = person[0] if person else stored_gender
        occupants[(room_id, night)].append((bed, gender))
        if person is None:
            continue  # another programme's participant: only shares the room checks
        counts = by_night[night]
        beds_of_person[(pid, night)] += 1
        if stored_gender != gender:
            counts["gender_mismatch"] += 1
        if not person[1]:
            counts["not_staying_with_bed"] += 1
        if night not in person[2]:
            counts["bed_on_wrong_night"] += 1
        if not rooms.get(room_id, (0, False))[1]:
            counts["inactive_room"] += 1

    free: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    empty_beds: Counter = Counter()
    for (room_id, night), beds in occupants.items():
        capacity, active = rooms.get(room_id, (0, False))
        genders = {g for _bed, g in beds}
        if len(genders) > 1:
            by_night[night]["room_mixed_gender"] += 1
        if len(beds) > capacity or any(bed > capacity or bed < 1 for bed, _g in beds):
            by_night[night]["room_over_capacity"] += 1
        if active and len(genders) == 1 and len(beds) < capacity:
            free[night][genders.pop()] += capacity - len(beds)
    # beds in active rooms nobody uses that night (free for either gender): all active
    # beds less those of the active rooms somebody uses that night
    all_beds = sum(cap for cap, active in rooms.values() if active)
    used_rooms: Counter = Counter()
    for room_id, night in occupants:
        capacity, active = rooms.get(room_id, (0, False))
        if active:
            used_rooms[night] += capacity
    for night in nights_in_play:
        empty_beds[night] = all_beds - used_rooms[night]

    for (_pid, night), n in beds_of_person.items():
        if n > 1:
            by_night[night]["person_two_beds"] += 1
    for pid, (gender, stays, their_nights) in people.items():
        if not stays:
            continue
        for night in their_nights:
            if night not in nights_in_play or (pid, night) in beds_of_person:
                continue
            if empty_beds[night] > 0 or free[night][gender] > 0:
                by_night[night]["staying_without_bed"] += 1
    return by_night


def shortage(*, program: Program) -> int:
    """Person-nights of staying participants without a bed (a shortage, not a violation
    as long as staying_without_bed is 0)."""
    night_before = program.dorm_arrival_night_before
    batch_nights = {pk: _nights(s, e, night_before) for pk, s, e in
                    Batch.objects.filter(program=program)
                    .values_list("pk", "start_date", "end_date")}
    staying = dict(Placement.objects.filter(registration__program=program, batch__isnull=False,
                                            stays_in_dorm=True).values_list("pk", "batch_id"))
    every_night = sorted(set().union(*batch_nights.values())) if batch_nights else []
    have = {(pid, night) for pid, night in RoomAssignment.objects.filter(night__in=every_night)
            .order_by().values_list("placement_id", "night") if pid in staying}
    return sum(1 for pid, batch_id in staying.items()
               for night in batch_nights.get(batch_id, ()) if (pid, night) not in have)
