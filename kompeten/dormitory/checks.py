"""The stored room check (RoomCheck, RoomCheckNight): computed when the dormitory changes,
read by the pages (a GET never runs the checker).

* A change to a few nights (a participant stays or not, a freed bed handed over) checks
  those nights again in the same transaction: the pages show the new counts at once.
* A whole-programme change (assigning every room, a room added, changed or closed, a
  participant moved to another batch or withdrawn) marks the result stale and dispatches
  one background job (kompeten.common.jobs) that checks the whole programme after the
  commit; the pages show the last result, when it was computed and that a new one is
  being computed. The organiser may ask for a new check too.

Rooms are shared by every programme: a change checks each programme that has a stored
result (there is one programme a year).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from kompeten.batching.models import PlacementCheck
from kompeten.common import jobs
from kompeten.dormitory.checker import ROOM_RULES, check_by_night
from kompeten.dormitory.models import RoomCheck, RoomCheckNight
from kompeten.programs.models import Program


def _locked(program_id: int) -> RoomCheck:
    RoomCheck.objects.get_or_create(program_id=program_id)
    return RoomCheck.objects.select_for_update().get(program_id=program_id)


def _store_nights(program_id: int, by_night: dict[dt.date, dict[str, int]], *,
                  everything: bool) -> dict[str, int]:
    """Replace the stored nights (all of them, or those checked) and return the totals."""
    stored = RoomCheckNight.objects.filter(program_id=program_id)
    if not everything:
        stored = stored.filter(night__in=sorted(by_night))
    stored.delete()
    RoomCheckNight.objects.bulk_create(
        RoomCheckNight(program_id=program_id, night=night, counts=
                       {rule: n for rule, n in counts.items() if n},
                       problems=sum(counts.values()))
        for night, counts in sorted(by_night.items()) if any(counts.values()))
    totals = dict.fromkeys(ROOM_RULES, 0)
    for counts in RoomCheckNight.objects.filter(program_id=program_id).values_list(
            "counts", flat=True):
        for rule, n in counts.items():
            if rule in totals:
                totals[rule] += n
    return totals


def _programs_to_check(program_id: int) -> list[int]:
    """The programme changed and every other one with a stored result (rooms are shared)."""
    others = RoomCheck.objects.exclude(program_id=program_id).values_list("program_id",
                                                                         flat=True)
    return [program_id, *sorted(others)]


@transaction.atomic
def nights_changed(*, program: Program, nights: Iterable[dt.date]) -> None:
    """Some beds of these nights changed: check them again now (a few queries, however
    big the programme); when a whole check is pending, leave it to that job."""
    nights = sorted(set(nights))
    if not nights:
        return
    for program_id in _programs_to_check(program.pk):
        state = _locked(program_id)
        if not state.is_current:
            _request(state)
            continue
        target = program if program_id == program.pk else Program.objects.get(pk=program_id)
        state.counts = _store_nights(program_id, check_by_night(program=target, nights=nights),
                                     everything=False)
        state.computed_at = timezone.now()
        state.version = state.checked_version = state.version + 1
        state.save(update_fields=["counts", "computed_at", "version", "checked_version"])


def _request(state: RoomCheck) -> None:
    """Mark the result stale; one job computes it after the commit (a queued one that has
    not started yet will see this change too)."""
    state.version += 1
    fields = ["version"]
    if state.queued_at is None:
        state.queued_at = timezone.now()
        fields.append("queued_at")
        jobs.dispatch(run_check, program_id=state.program_id)
    state.save(update_fields=fields)


@transaction.atomic
def program_changed(*, program_id: int) -> None:
    """The assignments of many nights changed: check the programme (and the others
    sharing the rooms) again in the background."""
    for other in _programs_to_check(program_id):
        _request(_locked(other))


@transaction.atomic
def rooms_changed() -> None:
    """A room was added, changed or closed: every stored result is checked again."""
    for program_id in RoomCheck.objects.order_by("program_id").values_list("program_id",
                                                                           flat=True):
        _request(_locked(program_id))


def request_check(*, program: Program) -> RoomCheck:
    """The organiser asks for a new check (run in the background)."""
    with transaction.atomic():
        state = _locked(program.pk)
        _request(state)
    return state


def run_check(*, program_id: int) -> None:
    """Background job: check the whole programme and store the result, unless it is
    already current (a second delivery does nothing)."""
    with transaction.atomic():
        state = _locked(program_id)
        if state.queued_at is not None:
            state.queued_at = None
            state.save(update_fields=["queued_at"])
        if state.is_current:
            return
        version = state.version
        placements_revision = _placements_revision(program_id)
    program = Program.objects.get(pk=program_id)
    by_night = check_by_night(program=program)
    jobs.beat()
    with transaction.atomic():
        state = _locked(program_id)
        counts = _store_nights(program_id, by_night, everything=True)
        # a change while this ran left the result stale and queued the next job
        RoomCheck.objects.filter(pk=state.pk).update(
            counts=counts, computed_at=timezone.now(), checked_version=version,
            placements_revision=placements_revision)


def _placements_revision(program_id: int) -> int:
    return (PlacementCheck.objects.filter(program_id=program_id)
            .values_list("revision", flat=True).first() or 0)


def stored_check(*, program: Program) -> RoomCheck:
    """The programme's stored result (an empty, not yet computed one when none is), with
    ``placements_moved``: batching moved placements since it was computed (one query)."""
    check = (RoomCheck.objects.filter(program=program)
             .annotate(current_placements=Subquery(PlacementCheck.objects.filter(
                 program_id=OuterRef("program_id")).values("revision")[:1]))
             .first()) or RoomCheck(program=program)
    current = getattr(check, "current_placements", None) or 0
    check.placements_moved = (check.computed_at is not None
                              and (check.placements_revision or 0) != current)
    return check


def nights_with_problems(*, program: Program, start: dt.date,
                         end: dt.date) -> dict[dt.date, RoomCheckNight]:
    return {row.night: row for row in RoomCheckNight.objects.filter(
        program=program, night__range=(start, end))}

