"""COPY writers vs bulk_create at 100,000: python bench/writers.py [--database postgres]

Issue 7.6: keep the hand-written writers of batching (_insert_placements) and dormitory
(rooms._Writer) only if they matter at 100,000 participants. In one process and on the
same rows, each writer runs ROUNDS times, alternating, and the best time counts:

* placements: the 100,000 Placement rows of bench/placement.py's generated programme
  (the "naive" fill), written by _insert_placements and by bulk_create(batch_size=N);
* rooms: assign_rooms on bench/rooms.py's generated 100,000 (about 200,000 room-nights),
  with rooms._Writer as it is and with its inserts done by bulk_create(batch_size=N).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import argparse  # noqa: E402
import gc  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402

ROUNDS = 3


def timed(fn) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def placements(batch_size: int) -> dict[str, float]:
    from django.db import transaction
    from django.utils import timezone

    from bench import placement as bench
    from kompeten.batching.models import Placement
    from kompeten.batching.services import _insert_placements
    from kompeten.programs.models import Level

    program = bench.build(100_000)
    rows = [row for level in Level.objects.all() for row in bench._naive_rows(program, level)]
    now = timezone.now()

    def copy():
        with transaction.atomic():
            _insert_placements([(r, b, s, None if b else now) for r, b, s in rows], now=now)

    def orm():
        with transaction.atomic():
            Placement.objects.bulk_create(
                [Placement(registration_id=r, batch_id=b, seat=s,
                           waiting_since=None if b else now) for r, b, s in rows],
                batch_size=batch_size)

    best = {"copy": [], "bulk_create": []}
    for _ in range(ROUNDS):
        for name, fn in (("copy", copy), ("bulk_create", orm)):
            best[name].append(timed(fn))
            assert Placement.objects.count() == len(rows)
            bench.clear(program)
    return {name: min(times) for name, times in best.items()} | {"rows": len(rows)}


def rooms(batch_size: int) -> dict[str, float]:
    from bench import rooms as bench
    from kompeten.dormitory import rooms as dorm
    from kompeten.dormitory.models import RoomAssignment

    bench.clear()
    program, _people = bench.population_generated(100_000, random.Random(2019), rooms=1000)
    original = dorm._Writer.flush

    def flush_with_bulk_create(self):
        pending = self.inserts
        self.inserts = []
        original(self)   # the deletes
        RoomAssignment.objects.bulk_create(
            [RoomAssignment(room_id=room, night=night, bed=bed, placement_id=pid,
                            gender=gender) for room, night, bed, pid, gender in pending],
            batch_size=batch_size)

    best = {"copy": [], "bulk_create": []}
    count = 0
    for _ in range(ROUNDS):
        for name in ("copy", "bulk_create"):
            dorm._Writer.flush = original if name == "copy" else flush_with_bulk_create
            RoomAssignment.objects.all()._raw_delete(using="default")
            best[name].append(timed(lambda: dorm.assign_rooms(program=program)))
            count = RoomAssignment.objects.count()
    dorm._Writer.flush = original
    return {name: min(times) for name, times in best.items()} | {"rows": count}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--only", choices=["placements", "rooms"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-writers-") as tmp:
        os.environ.setdefault("BENCH_DB_NAME", "kompeten_bench_writers")
        from bench.placement import setup_django

        pg = setup_django(args.database, Path(tmp))
        try:
            for name, fn in (("placements", placements), ("rooms", rooms)):
                if args.only and args.only != name:
                    continue
                result = fn(args.batch_size)
                ratio = result["bulk_create"] / result["copy"]
                print(f"{args.database} {name}: {result['rows']} rows; COPY writer "
                      f"{result['copy']:.2f}s, bulk_create(batch_size={args.batch_size}) "
                      f"{result['bulk_create']:.2f}s ({ratio:.1f}x, "
                      f"+{result['bulk_create'] - result['copy']:.1f}s)", flush=True)
        finally:
            if pg is not None:
                from django.db import connections

                connections.close_all()
                pg.drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
