"""Batch placement benchmark: python bench/placement.py [--database sqlite|postgres]
[--sizes 1500,100000] [--json PATH]

For each size it builds a programme in a throw-away database, then for every level:

* ``read``  - the baseline floor: reading the level's accepted officials and batches
              (the same rows place_participants needs), nothing written;
* ``naive_orm`` - a baseline that fills the batches in date order, one official after
              the other (no agency spread, no preferences), written with bulk_create;
* ``naive`` - the same fill written with the executemany writer place_participants uses
              (so place / naive is the price of the rules);
* ``place`` - kompeten.batching.services.place_participants (locks, plan, writes).

Each method is timed without tracemalloc (wall clock), its result is checked with the
independent checker (kompeten.batching.checker.check_program; violations must be 0 for
``place``), the placements are removed, and the method runs once more under tracemalloc
for its peak of Python allocations. ru_maxrss is the process's high-water mark so far.

Size 1500 is the 2019 programme of the source document (50 batches: 3 JPT Pratama,
15 Pengawas, 32 Administrator) with 1,500 accepted officials of 319 agencies. Any other
size N generates a programme with ceil(N / 30 * 1.02) batches of 30 over a year, the
levels in the 2019 proportions, N officials of N/50 agencies with Zipf-like sizes;
15% of the agencies have a date window of 30-90 days.

PostgreSQL: 127.0.0.1:5432, user postgres, database kompeten_bench_placement (created
and dropped). SQLite: a temporary file.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != (REPO / ".venv").resolve():
    os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), *sys.argv])
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from dataclasses import asdict, dataclass  # noqa: E402

# Another name (containing "bench") keeps parallel runs apart.
DB_NAME = os.getenv("BENCH_DB_NAME", "kompeten_bench_placement")
SEED = 2019


@dataclass
class Row:
    size: int
    database: str
    method: str
    seconds: float
    peak_mb: float
    maxrss_mb: float
    placed: int
    waiting: int
    violations: int
    spread: int
    preference_pct: float | None
    preference_possible_pct: float | None
    sharing: int          # officials with a colleague of their agency in their batch
    sharing_floor: int    # the least possible: sum over agencies of (officials - batches)+
    check_seconds: float


def setup_django(database: str, tmp: Path) -> object | None:
    pg = None
    if database == "postgres":
        from bench.harness import Database

        pg = Database(name=DB_NAME)
        pg.recreate()
        os.environ["DATABASE_URL"] = pg.url
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'placement.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompeten.settings")
    os.environ.setdefault("KOMPETEN_VAR_DIR", str(tmp))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return pg


# -- data ----------------------------------------------------------------------------------

def _agencies(count: int, tag: str):
    from kompeten.programs.models import Agency, AgencyKind

    rows = [Agency(code=f"B{tag}-{i:05d}", name=f"Instansi Bench {tag} {i}",
                   kind=AgencyKind.KL_PUSAT) for i in range(count)]
    return Agency.objects.bulk_create(rows, batch_size=2000)


def _officials(program, per_level: dict, agencies: list, rnd: random.Random) -> None:
    from kompeten.registration.models import Registration

    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(agencies))]
    seats: dict[tuple[int, int], int] = {}
    rows, serial = [], 0
    submitted = dt.datetime(program.year, 3, 1, tzinfo=dt.UTC)
    for level, count in per_level.items():
        for agency in rnd.choices(agencies, weights=weights, k=count):
            key = (agency.pk, level.pk)
            seats[key] = seats.get(key, 0) + 1
            birth = dt.date(1965, 1, 1) + dt.timedelta(days=serial % 9000)
            female = serial % 3 == 0
            nip = f"{birth:%Y%m%d}1995{1 + serial % 12:02d}{2 if female else 1}{serial // 9000:03d}"
            rows.append(Registration(
                program=program, agency=agency, level=level, seat=seats[key], status="accepted",
                nip=nip, birth_date=birth, gender="P" if female else "L",
                full_name=f"Pejabat {serial}", plain_name=f"Pejabat {serial}",
                position="Kepala Seksi", email=f"p{serial}@bench.test",
                submitted_at=submitted + dt.timedelta(seconds=serial)))
            serial += 1
    Registration.objects.bulk_create(rows, batch_size=2000)


def _preferences(program, agencies: list, rnd: random.Random, start: dt.date, days: int) -> None:
    from kompeten.batching.models import AgencyDatePreference

    rows = []
    for agency in agencies:
        if rnd.random() < 0.15:
            earliest = start + dt.timedelta(days=rnd.randint(0, max(0, days - 30)))
            rows.append(AgencyDatePreference(program=program, agency=agency, earliest=earliest,
                                             latest=earliest + dt.timedelta(
                                                 days=rnd.randint(30, 90))))
    AgencyDatePreference.objects.bulk_create(rows, batch_size=2000)


def build(size: int):
    """The programme of this size, with its accepted officials and preferences."""
    from kompeten.programs.models import Batch, Level, Program
    from kompeten.programs.services import create_program_2019

    rnd = random.Random(SEED + size)
    program = create_program_2019()
    if size == 1500:
        per_level = {level: sum(program.batches.filter(level=level)
                                .values_list("capacity", flat=True))
                     for level in Level.objects.all()}
        agencies = _agencies(319, "19")
        _officials(program, per_level, agencies, rnd)
        _preferences(program, agencies, rnd, dt.date(2019, 5, 1), 110)
        return program
    levels = list(Level.objects.order_by("order"))
    share = {"jpt-pratama": 90 / 1500, "pengawas": 450 / 1500, "administrator": 960 / 1500}
    program = Program.objects.create(code="2100", year=2100, name="Bench", signatory_name="Bench",
                                     signatory_nip="196102121985091001", signatory_title="-")
    total_batches = math.ceil(size / 30 * 1.02)
    start = dt.date(2100, 1, 4)
    batches, number = [], 1
    per_level = {}
    for level in levels:
        count = max(1, round(total_batches * share.get(level.code, 1 / len(levels))))
        per_level[level] = round(size * share.get(level.code, 1 / len(levels)))
        per_day = math.ceil(count / 240)
        for i in range(count):
            day = start + dt.timedelta(days=(i // per_day) * 7 // 5)   # weekdays, roughly
            batches.append(Batch(program=program, number=number, level=level, start_date=day,
                                 end_date=day + dt.timedelta(days=1), capacity=30))
            number += 1
    Batch.objects.bulk_create(batches, batch_size=2000)
    per_level[levels[-1]] += size - sum(per_level.values())
    agencies = _agencies(max(10, size // 50), "G")
    _officials(program, per_level, agencies, rnd)
    _preferences(program, agencies, rnd, start, 330)
    return program


# -- methods -------------------------------------------------------------------------------

def method_read(program, level) -> None:
    from kompeten.programs.models import Batch
    from kompeten.registration.models import Registration

    list(Batch.objects.filter(program=program, level=level).values_list(
        "pk", "number", "start_date", "end_date", "capacity"))
    list(Registration.objects.filter(program=program, level=level, status="accepted",
                                     placement__isnull=True)
         .order_by("submitted_at", "pk").values_list("pk", "agency_id"))


def _naive_rows(program, level) -> list[tuple]:
    from kompeten.programs.models import Batch
    from kompeten.registration.models import Registration

    batches = list(Batch.objects.filter(program=program, level=level)
                   .order_by("start_date", "number").values_list("pk", "capacity"))
    people = Registration.objects.filter(program=program, level=level, status="accepted",
                                         placement__isnull=True).values_list("pk", flat=True)
    slots = ((pk, seat) for pk, capacity in batches for seat in range(1, capacity + 1))
    return [(registration_id, *next(slots, (None, None))) for registration_id in people]


def method_naive(program, level) -> None:
    """Fill in date order; written with the same executemany writer as place."""
    from django.db import transaction
    from django.utils import timezone

    from kompeten.batching.services import _insert_placements

    now = timezone.now()
    with transaction.atomic():
        _insert_placements([(rid, batch_id, seat, None if batch_id else now)
                            for rid, batch_id, seat in _naive_rows(program, level)], now=now)


def method_naive_orm(program, level) -> None:
    """The same naive fill written with Placement.objects.bulk_create (batch_size 2000)."""
    from django.db import transaction
    from django.utils import timezone

    from kompeten.batching.models import Placement

    now = timezone.now()
    with transaction.atomic():
        Placement.objects.bulk_create(
            [Placement(registration_id=rid, batch_id=batch_id, seat=seat,
                       waiting_since=None if batch_id else now)
             for rid, batch_id, seat in _naive_rows(program, level)], batch_size=2000)


def method_place(program, level) -> None:
    from kompeten.batching.services import place_participants

    place_participants(program=program, level=level)


METHODS = {"read": method_read, "naive_orm": method_naive_orm, "naive": method_naive,
           "place": method_place}


def clear(program) -> None:
    from kompeten.batching.models import Placement

    Placement.objects.filter(registration__program=program)._raw_delete(using="default")


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def sharing(program) -> tuple[int, int]:
    """Officials sharing their batch with a colleague of the same agency, and the least
    number possible given the number of batches of each level."""
    from collections import Counter

    from kompeten.batching.models import Placement
    from kompeten.programs.models import Batch

    per_batch = Counter(Placement.objects.filter(registration__program=program,
                                                 batch__isnull=False)
                        .values_list("batch_id", "registration__agency_id"))
    level_of = dict(Batch.objects.filter(program=program).values_list("pk", "level_id"))
    batches_per_level = Counter(level_of.values())
    per_agency = Counter()
    for (batch_id, agency_id), count in per_batch.items():
        per_agency[(level_of[batch_id], agency_id)] += count
    shared = sum(count for count in per_batch.values() if count > 1)
    floor = 0
    for (level_id, _agency), count in per_agency.items():
        over = count - batches_per_level[level_id]
        if over > 0:   # every batch has one; the extra ones each make a shared batch
            floor += over + min(over, batches_per_level[level_id])
    return shared, floor


def measure(size: int, database: str, program, method: str) -> Row:
    from kompeten.batching.checker import check_program
    from kompeten.programs.models import Level

    levels = list(Level.objects.filter(batches__program=program).distinct().order_by("order"))
    run = METHODS[method]
    clear(program)
    gc.collect()
    started = time.perf_counter()
    for level in levels:
        run(program, level)
    seconds = time.perf_counter() - started
    check_started = time.perf_counter()
    report = check_program(program=program)
    check_seconds = time.perf_counter() - check_started
    shared, floor = sharing(program)
    clear(program)
    gc.collect()
    tracemalloc.start()
    for level in levels:
        run(program, level)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    clear(program)
    share, possible = report.preference_share, report.preference_share_possible
    quality = method != "read"
    return Row(size=size, database=database, method=method, seconds=seconds,
               peak_mb=peak / 2**20, maxrss_mb=maxrss_mb(), placed=report.placed,
               waiting=report.waiting,
               violations=(report.violations if method != "read" else 0),
               spread=report.counts["agency_spread"],
               preference_pct=100 * share if quality and share is not None else None,
               preference_possible_pct=(100 * possible if quality and possible is not None
                                        else None),
               sharing=shared, sharing_floor=floor, check_seconds=check_seconds)


def print_table(rows: list[Row]) -> None:
    head = (f"{'size':>7} {'db':<8} {'method':<9} {'seconds':>8} {'vs naive':>8} "
            f"{'peak MB':>8} {'maxrss MB':>9} {'placed':>7} {'waiting':>7} {'violations':>10} "
            f"{'spread':>6} {'pref %':>6} {'pref/poss %':>11} {'sharing':>7} {'floor':>6} "
            f"{'check s':>7}")
    print(head)
    print("-" * len(head))
    naive = {(r.size, r.database): r.seconds for r in rows if r.method == "naive"}
    for r in rows:
        ratio = r.seconds / naive[(r.size, r.database)] if (r.size, r.database) in naive else 0
        pref = f"{r.preference_pct:.1f}" if r.preference_pct is not None else "-"
        possible = (f"{r.preference_possible_pct:.1f}" if r.preference_possible_pct is not None
                    else "-")
        placed = f"{r.placed:>7}" if r.method != "read" else f"{'-':>7}"
        waiting = f"{r.waiting:>7}" if r.method != "read" else f"{'-':>7}"
        violations = f"{r.violations:>10}" if r.method != "read" else f"{'-':>10}"
        spread = f"{r.spread:>6}" if r.method != "read" else f"{'-':>6}"
        print(f"{r.size:>7} {r.database:<8} {r.method:<9} {r.seconds:>8.3f} {ratio:>7.2f}x "
              f"{r.peak_mb:>8.1f} {r.maxrss_mb:>9.0f} {placed} {waiting} {violations} "
              f"{spread} {pref:>6} {possible:>11} "
              f"{(r.sharing if r.method != 'read' else '-'):>7} "
              f"{(r.sharing_floor if r.method != 'read' else '-'):>6} "
              f"{r.check_seconds:>7.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description="Measure batch placement (see module doc).")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--sizes", default="1500,100000",
                        help="comma-separated; 1500 = the 2019 programme (default 1500,100000)")
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-placement-") as tmp:
        pg = setup_django(args.database, Path(tmp))
        try:
            import django
            from django.db import connection

            print(f"python {platform.python_version()}, Django {django.get_version()}, "
                  f"{connection.vendor} {connection.Database.__name__}, "
                  f"{os.cpu_count()} cpus")
            for size in sizes:
                started = time.perf_counter()
                program = build(size)
                print(f"size {size}: built {program} with {program.batches.count()} batches in "
                      f"{time.perf_counter() - started:.1f}s")
                for method in METHODS:
                    rows.append(measure(size, args.database, program, method))
                    print(f"  {method}: {rows[-1].seconds:.3f}s", flush=True)
        finally:
            from django.db import connections

            connections.close_all()
            if pg is not None:
                pg.drop()
    print()
    print_table(rows)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=2))
    failed = [r for r in rows if r.method == "place" and r.violations]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
