"""Dormitory benchmark: python bench/rooms.py [--database sqlite|postgres] [--sizes 1500,100000]

Builds placed populations directly with bulk_create (accepted registrations with a
Placement of batch + seat; no dependence on the batch-placement code), then measures
kompeten.dormitory.rooms.assign_rooms and checks the result with the independent
kompeten.dormitory.checker:

* 1500: the 2019 programme (50 batches of 30, the real schedule) and the demo
  dormitory (Asrama A/B/C, 120 rooms of 2);
* 100000: a generated programme of 3334 two-day batches, 30 batches starting each day
  (so every night 900 arrive and 900 stay their second night), 1000 rooms of 2;
* shortage: the 2019 programme with only 60 rooms: people without a bed are reported
  and the checker still counts 0 violations.

Per size: baseline = reading the staying participants (the one query assign_rooms
cannot avoid); assign (first run, empty dormitory); rerun (idempotent, everything kept);
peak Python memory of a first run (tracemalloc, a separate run as it slows Python down);
the checker's time, violations (must be 0) and shortage (person-nights without a bed).

The database is a throw-away one: SQLite in a temporary directory, or PostgreSQL
`kompeten_bench_rooms` on 127.0.0.1 (dropped and created; `--keep-db` keeps it).
"""

from __future__ import annotations

import os
import sys
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
import platform  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

# Another name (containing "bench") keeps parallel runs apart.
PG_NAME = os.getenv("BENCH_DB_NAME", "kompeten_bench_rooms")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--sizes", default="1500,100000,shortage",
                        help="comma-separated: 1500, 100000 (or any number), shortage")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--seed", type=int, default=2019)
    return parser.parse_args()


def setup_django(args, workdir: Path):
    os.environ["KOMPETEN_VAR_DIR"] = str(workdir)
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-rooms-not-secret")
    os.environ["DJANGO_SETTINGS_MODULE"] = "kompeten.settings"
    database = None
    if args.database == "postgres":
        from bench.harness import Database

        database = Database(name=PG_NAME)
        version = database.recreate()
        os.environ["DATABASE_URL"] = database.url
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'rooms.sqlite3'}"
        version = None
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return database, version


# --------------------------------------------------------------------------- populations


def _placed(program, batches, agencies, rng) -> int:
    """30 accepted registrations per batch (70% men), each with a Placement seat."""
    from kompeten.batching.models import Placement
    from kompeten.registration.models import Registration

    seats: dict[tuple[int, int], int] = {}
    registrations, seats_in_batch = [], []
    for batch in batches:
        for seat in range(1, batch.capacity + 1):
            agency = agencies[len(registrations) % len(agencies)]
            key = (agency.pk, batch.level_id)
            seats[key] = seats.get(key, 0) + 1
            n = len(registrations) + 1
            gender = "L" if rng.random() < 0.7 else "P"
            registrations.append(Registration(
                program=program, agency=agency, level_id=batch.level_id, seat=seats[key],
                status="accepted", nip=f"{n:018d}", birth_date=dt.date(1980, 1, 1),
                gender=gender, full_name=f"Peserta {n}", plain_name=f"Peserta {n}",
                position="Kepala Seksi", email=f"p{n}@bench.test"))
            seats_in_batch.append((batch, seat))
    Registration.objects.bulk_create(registrations, batch_size=2000)
    Placement.objects.bulk_create(
        (Placement(registration=r, batch=b, seat=s)
         for r, (b, s) in zip(registrations, seats_in_batch, strict=True)), batch_size=2000)
    return len(registrations)


def population_2019(rng):
    from kompeten.home.demo_rooms import load_demo_rooms
    from kompeten.programs.models import Agency, AgencyKind
    from kompeten.programs.services import create_program_2019

    program = create_program_2019()
    agencies = Agency.objects.bulk_create(
        Agency(code=f"B19-{i}", name=f"Instansi {i}", kind=AgencyKind.KL_PUSAT)
        for i in range(500))
    people = _placed(program, list(program.batches.all()), agencies, rng)
    load_demo_rooms()
    return program, people


def population_generated(size: int, rng, rooms: int):
    from kompeten.dormitory.rooms import create_rooms
    from kompeten.programs.models import Agency, AgencyKind, Batch, Level, Program
    from kompeten.programs.services import load_reference_data

    load_reference_data()
    program = Program.objects.create(code="2100", year=2100, name="Program bangkitan",
                                     signatory_name="X",
                                     signatory_nip="1" * 18, signatory_title="Kepala")
    levels = list(Level.objects.all())
    count = -(-size // 30)
    start = dt.date(2100, 1, 4)
    Batch.objects.bulk_create(
        Batch(program=program, number=i + 1, level=levels[i % len(levels)],
              start_date=start + dt.timedelta(days=i // 30),
              end_date=start + dt.timedelta(days=i // 30 + 1)) for i in range(count))
    agencies = Agency.objects.bulk_create(
        Agency(code=f"G-{i}", name=f"Instansi {i}", kind=AgencyKind.KL_PUSAT)
        for i in range(2000))
    people = _placed(program, list(program.batches.all()), agencies, rng)
    for building in range(rooms // 100):
        create_rooms(building=f"Asrama G{building + 1:02d}", count=100)
    return program, people


def clear():
    from kompeten.batching.models import Placement
    from kompeten.dormitory.models import Room, RoomAssignment
    from kompeten.programs.models import Agency, Batch, Program
    from kompeten.registration.models import Registration

    RoomAssignment.objects.all().delete()
    Room.objects.all().delete()
    Placement.objects.all().delete()
    Registration.objects.all().delete()
    Batch.objects.all().delete()
    Program.objects.all().delete()
    Agency.objects.all().delete()


# --------------------------------------------------------------------------- measuring


def timed(fn):
    gc.collect()
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def measure(label: str, program, people: int) -> dict:
    from kompeten.batching.models import Placement
    from kompeten.dormitory.checker import check_rooms, shortage
    from kompeten.dormitory.models import RoomAssignment
    from kompeten.dormitory.rooms import assign_rooms

    def baseline():
        return list(Placement.objects
                    .filter(registration__program=program, batch__isnull=False,
                            stays_in_dorm=True)
                    .values_list("pk", "registration__gender", "batch_id"))

    t_base, _rows = timed(baseline)
    t_first, summary = timed(lambda: assign_rooms(program=program))
    t_rerun, again = timed(lambda: assign_rooms(program=program))
    changed = sum(n.changed for n in again.nights)
    t_check, violations = timed(lambda: check_rooms(program=program))
    missing = shortage(program=program)
    # peak memory of a first run (tracemalloc slows Python code, so timed apart)
    RoomAssignment.objects.filter(placement__registration__program=program).delete()
    gc.collect()
    tracemalloc.start()
    assign_rooms(program=program)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    busiest = max(summary.nights, key=lambda n: n.total)
    return {
        "label": label, "people": people, "nights": len(summary.nights),
        "beds": summary.assignments, "rooms": summary.rooms_available,
        "busiest": f"{busiest.night} {busiest.total} ({busiest.rooms_used} rooms)",
        "singles": sum(n.singles for n in summary.nights),
        "unassigned": summary.unassigned_count, "shortage": missing,
        "baseline": t_base, "assign": t_first, "rerun": t_rerun, "rerun_changed": changed,
        "check": t_check, "peak_mb": peak / 2**20,
        "violations": sum(violations.values()),
        "violated": {k: v for k, v in violations.items() if v},
    }


def main() -> int:
    args = parse_args()
    rng = random.Random(args.seed)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    with tempfile.TemporaryDirectory(prefix="bench-rooms-") as tmp:
        database, version = setup_django(args, Path(tmp))
        import django

        results = []
        try:
            for size in sizes:
                clear()
                t_setup = time.perf_counter()
                if size == "1500":
                    program, people = population_2019(rng)
                    label = "2019 (50 batches)"
                elif size == "shortage":
                    program, people = population_2019(rng)
                    from kompeten.dormitory.models import Room

                    keep = list(Room.objects.order_by("building", "number")
                                .values_list("pk", flat=True)[:60])
                    Room.objects.exclude(pk__in=keep).update(is_active=False)
                    label = "2019, 60 rooms only"
                else:
                    n = int(size)
                    program, people = population_generated(n, rng, rooms=1000)
                    label = f"generated {n}"
                setup = time.perf_counter() - t_setup
                result = measure(label, program, people)
                result["setup"] = setup
                results.append(result)
                print(f"... {label}: done (setup {setup:.1f}s)", flush=True)
        finally:
            if database is not None and not args.keep_db:
                from django.db import connections

                connections.close_all()
                database.drop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(f"python {platform.python_version()}, Django {django.get_version()}, "
          f"{os.cpu_count()} cpus, database {args.database}"
          + (f" {version} ({PG_NAME})" if version else " (file in a temporary directory)"))
    header = (f"{'population':<22} {'people':>7} {'nights':>6} {'beds':>7} {'rooms':>5} "
              f"{'baseline s':>10} {'assign s':>8} {'x base':>7} {'rerun s':>7} "
              f"{'check s':>7} {'peak MB':>7} {'viol.':>5} {'no bed':>6}")
    print(header)
    print("-" * len(header))
    for r in results:
        print(f"{r['label']:<22} {r['people']:>7} {r['nights']:>6} {r['beds']:>7} "
              f"{r['rooms']:>5} {r['baseline']:>10.3f} {r['assign']:>8.3f} "
              f"{r['assign'] / r['baseline']:>7.1f} {r['rerun']:>7.3f} {r['check']:>7.3f} "
              f"{r['peak_mb']:>7.1f} {r['violations']:>5} {r['unassigned']:>6}")
    print()
    for r in results:
        print(f"{r['label']}: busiest night {r['busiest']}; rooms with one person "
              f"(all nights) {r['singles']}; rerun changed {r['rerun_changed']} beds; "
              f"checker shortage {r['shortage']} = reported {r['unassigned']}; "
              f"violations {r['violated'] or 'none'}")
    print(f"process peak RSS {rss:.0f} MB")
    bad = any(r["violations"] or r["shortage"] != r["unassigned"] or r["rerun_changed"]
              for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
