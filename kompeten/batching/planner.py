"""The placement planner of one level, on plain data (no database): see
kompeten.batching.services for the rules it implements."""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class BatchSlot:
    id: int
    number: int
    start: dt.date
    end: dt.date
    capacity: int


class _Planner:
    """Free seats and per-agency counts of one level's batches while placing."""

    def __init__(self, batches: Sequence[BatchSlot],
                 occupied: Iterable[tuple[int, int | None, int]]) -> None:
        self.batches = sorted(batches, key=lambda b: (b.start, b.number, b.id))
        self.index = {b.id: i for i, b in enumerate(self.batches)}
        self.starts = [b.start for b in self.batches]
        n = len(self.batches)
        self.fill = [0] * n
        self.agency: dict[int, dict[int, int]] = defaultdict(dict)   # agency -> i -> count
        taken: list[set[int]] = [set() for _ in range(n)]
        for batch_id, seat, agency_id in occupied:
            i = self.index[batch_id]
            self.fill[i] += 1
            if seat is not None:
                taken[i].add(seat)
            counts = self.agency[agency_id]
            counts[i] = counts.get(i, 0) + 1
        self.free_seats = [[s for s in range(b.capacity, 0, -1) if s not in taken[i]]
                           for i, b in enumerate(self.batches)]   # lowest seat last (pop)
        self.room = [max(0, min(len(self.free_seats[i]), b.capacity - self.fill[i]))
                     for i, b in enumerate(self.batches)]
        self.heap = [(self.fill[i], i) for i in range(n) if self.room[i] > 0]
        heapq.heapify(self.heap)

    @property
    def total_room(self) -> int:
        return sum(self.room)

    def window(self, earliest: dt.date, latest: dt.date) -> list[int]:
        """Indices of the batches lying within [earliest, latest]."""
        lo = bisect.bisect_left(self.starts, earliest)
        hi = bisect.bisect_right(self.starts, latest)
        return [i for i in range(lo, hi) if self.batches[i].end <= latest]

    def _take(self, i: int, agency_id: int) -> tuple[int, int]:
        self.fill[i] += 1
        self.room[i] -= 1
        counts = self.agency[agency_id]
        counts[i] = counts.get(i, 0) + 1
        return self.batches[i].id, self.free_seats[i].pop()

    def place_agency(self, agency_id: int, count: int, window: list[int] | None
                     ) -> list[tuple[int, int]]:
        """Seats (batch id, seat) for ``count`` officials of one agency."""
        counts = self.agency[agency_id]
        seats: list[tuple[int, int]] = []
        if window is not None:
            local = [(counts.get(i, 0), self.fill[i], i) for i in window if self.room[i] > 0]
            heapq.heapify(local)
            while len(seats) < count and local:
                _c, _f, i = heapq.heappop(local)
                seats.append(self._take(i, agency_id))
                if self.room[i] > 0:
                    heapq.heappush(local, (counts[i], self.fill[i], i))
                    heapq.heappush(self.heap, (self.fill[i], i))   # the old entry is stale
        held: set[int] = set()
        # round 0: the least-filled batches without anybody of the agency, straight from
        # the heap; batches the agency already occupies are held aside
        while len(seats) < count and self.heap:
            fill, i = heapq.heappop(self.heap)
            if self.room[i] <= 0 or fill != self.fill[i] or i in held:
                continue   # stale entry
            held.add(i)
            if counts.get(i, 0) == 0:
                seats.append(self._take(i, agency_id))
        if len(seats) < count:
            # every batch with room already has the agency: fewest of it, then fewest people
            local = [(counts.get(i, 0), self.fill[i], i) for i in held if self.room[i] > 0]
            heapq.heapify(local)
            while len(seats) < count and local:
                _c, _f, i = heapq.heappop(local)
                seats.append(self._take(i, agency_id))
                if self.room[i] > 0:
                    heapq.heappush(local, (counts[i], self.fill[i], i))
        for i in held:
            if self.room[i] > 0:
                heapq.heappush(self.heap, (self.fill[i], i))
        return seats


def plan_level(*, batches: Sequence[BatchSlot], occupied: Iterable[tuple[int, int | None, int]],
               candidates: Sequence[tuple[Hashable, int]],
               preferences: dict[int, tuple[dt.date, dt.date]]
               ) -> dict[Hashable, tuple[int, int] | None]:
    """Seat (batch id, seat) or None (waiting list) for every candidate.

    occupied: (batch id, seat, agency id) of every placement kept in the level's batches;
    candidates: (key, agency id) in priority order; preferences: agency -> window.
    """
    planner = _Planner(batches, occupied)
    seated = candidates[:planner.total_room]
    result: dict[Hashable, tuple[int, int] | None] = {
        key: None for key, _agency in candidates[planner.total_room:]}
    by_agency: dict[int, list[Hashable]] = defaultdict(list)
    for key, agency_id in seated:
        by_agency[agency_id].append(key)
    windows = {agency_id: planner.window(*preferences[agency_id])
               for agency_id in by_agency if agency_id in preferences}

    def order(agency_id: int) -> tuple:
        if agency_id in windows:
            return (0, sum(planner.room[i] for i in windows[agency_id]),
                    -len(by_agency[agency_id]), agency_id)
        return (1, 0, -len(by_agency[agency_id]), agency_id)

    for agency_id in sorted(by_agency, key=order):
        keys = by_agency[agency_id]
        for key, seat in zip(keys, planner.place_agency(agency_id, len(keys),
                                                         windows.get(agency_id)), strict=True):
            result[key] = seat
    return result
