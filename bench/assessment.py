"""Assessment benchmark: python bench/assessment.py [--database sqlite|postgres] [--batches 50]

Builds the 2019 programme with every batch full (30 accepted officials, each with the
qualification of the level and a Placement), three assessors per batch, then measures:

* assign: auto_assign of every batch (ratio 1:10, the agency rule checked per pair);
* decide: save_decision + sign_decision through the services, per unit decision (one
  batch: 30 participants × their units), the click-to-sign path of the assessor's page;
* sidang: hold_sidang per batch (completeness check over every unit, e-mails queued);
* released_results for every registration of the programme (the contract certificates and
  reports read) and the batch report as PDF and Excel;

each against a baseline measured in the same run: reading one batch's decisions in one
query. The database is a throw-away one: SQLite in a temporary directory, or PostgreSQL
`kompeten_bench_assessment` on 127.0.0.1 (dropped and created)."""

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
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

PG_NAME = os.getenv("BENCH_DB_NAME", "kompeten_bench_assessment")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--batches", type=int, default=50)
    return parser.parse_args()


def setup_django(args, workdir: Path):
    os.environ["KOMPETEN_VAR_DIR"] = str(workdir)
    os.environ["DEBUG"] = "0"
    os.environ["BACKGROUND_JOBS"] = "eager"
    os.environ.setdefault("SECRET_KEY", "bench-assessment-not-secret")
    os.environ["DJANGO_SETTINGS_MODULE"] = "kompeten.settings"
    if args.database == "postgres":
        from bench.harness import Database

        database = Database(name=PG_NAME)
        database.recreate()
        os.environ["DATABASE_URL"] = database.url
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'assessment.sqlite3'}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def population(batches: int):
    from kompeten.access.services import assign_staff
    from kompeten.accounts.models import Role, User
    from kompeten.batching.models import Placement
    from kompeten.programs.models import Agency, AgencyKind
    from kompeten.programs.selectors import qualification_for
    from kompeten.programs.services import create_program_2019
    from kompeten.registration.models import Registration

    program = create_program_2019()
    agencies = Agency.objects.bulk_create([
        Agency(code=f"B-{n}", name=f"Instansi Bench {n}", kind=AgencyKind.KL_PUSAT)
        for n in range(60)])
    people = []
    chosen = list(program.batches.order_by("number")[:batches])
    serial = 0
    for batch in chosen:
        for seat in range(1, 31):
            serial += 1
            agency = agencies[serial % len(agencies)]
            birth = dt.date(1970, 1, 1) + dt.timedelta(days=serial)
            people.append((batch, seat, Registration(
                program=program, agency=agency, level=batch.level, seat=serial,
                status="accepted", nip=f"{birth:%Y%m%d}199801{1 + serial % 2}{serial % 1000:03d}",
                birth_date=birth, gender="L", full_name=f"Pejabat Bench {serial}",
                plain_name=f"Pejabat Bench {serial}", position="Kepala Bagian",
                email=f"bench{serial}@instansi.test",
                qualification=qualification_for(program=program, level=batch.level,
                                                agency=agency))))
    Registration.objects.bulk_create([r for _b, _s, r in people])
    Placement.objects.bulk_create([Placement(registration=r, batch=b, seat=s)
                                   for b, s, r in people])
    for batch in chosen:
        for n in range(3):
            user = User.objects.create(username=f"asesor-{batch.number}-{n}",
                                       role=Role.ASSESSOR, first_name=f"Asesor {n}",
                                       email=f"asesor{batch.number}{n}@bench.test")
            assign_staff(batch=batch, user=user)
    return program, chosen


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        setup_django(args, Path(workdir))
        from django.utils import timezone

        from kompeten.accounts.models import Role, User
        from kompeten.assessment import decisions, report, selectors, services
        from kompeten.assessment.decisions import seal
        from kompeten.assessment.models import Assignment, Decision
        from kompeten.programs.models import ProgramUnit
        from kompeten.registration.models import Registration

        seconds, (program, batches) = timed(lambda: population(args.batches))
        print(f"database {args.database}; {len(batches)} batches × 30 participants "
              f"(built in {seconds:.1f} s)")
        first = batches[0]

        def baseline():
            return len(list(Decision.objects.filter(registration__placement__batch=first)))

        seconds_assign, _ = timed(lambda: [services.auto_assign(batch=b) for b in batches])
        print(f"assign  {seconds_assign * 1000:8.1f} ms for {len(batches)} batches "
              f"({Assignment.objects.count()} assignments)")

        latencies = []
        for assignment in Assignment.objects.filter(batch=first).select_related(
                "registration", "assessor"):
            for unit in ProgramUnit.objects.filter(
                    qualification_id=assignment.registration.qualification_id):
                start = time.perf_counter()
                decisions.save_decision(assessor=assignment.assessor,
                                        registration=assignment.registration, unit=unit,
                                        verdict="K", note="Bukti memadai.")
                decisions.sign_decision(assessor=assignment.assessor,
                                        registration=assignment.registration, unit=unit)
                latencies.append(time.perf_counter() - start)
        latencies.sort()
        p95 = latencies[int(len(latencies) * 0.95) - 1]
        print(f"decide  {statistics.median(latencies) * 1000:8.2f} ms median, "
              f"{p95 * 1000:.2f} ms p95 per unit (draft + sign, {len(latencies)} decisions)")

        # The other batches' decisions in bulk (their cost is not under test).
        now = timezone.now()
        rows = []
        for assignment in Assignment.objects.exclude(batch=first).select_related(
                "registration"):
            for unit in ProgramUnit.objects.filter(
                    qualification_id=assignment.registration.qualification_id):
                rows.append(seal(Decision(registration=assignment.registration, unit=unit,
                                          version=1, verdict="K", by_id=assignment.assessor_id,
                                          registration_id=assignment.registration_id), now))
        Decision.objects.bulk_create(rows, batch_size=2000)

        base = min(timed(baseline)[0] for _ in range(5))
        print(f"baseline {base * 1000:7.2f} ms (one query: a batch's {baseline()} decisions)")
        organiser = User.objects.create(username="penyelenggara-bench", role=Role.ORGANISER)
        seconds_sidang, _ = timed(lambda: [decisions.hold_sidang(
            batch=b, held_on=timezone.localdate(), decree_number=f"SK-{b.number}",
            panel_members="Panel", by=organiser) for b in batches])
        per = seconds_sidang / len(batches)
        print(f"sidang  {per * 1000:8.1f} ms per batch ({per / base:.0f}× baseline)")
        ids = list(Registration.objects.filter(program=program).values_list("pk", flat=True))
        seconds_results, results = timed(lambda: selectors.released_results(ids))
        units = sum(len(v) for v in results.values())
        print(f"released_results {seconds_results * 1000:8.1f} ms for {len(ids)} registrations, "
              f"{units} unit results ({seconds_results / base:.0f}× baseline)")
        seconds_pdf, pdf = timed(lambda: report.report_pdf(first))
        seconds_xlsx, xlsx = timed(lambda: report.report_xlsx(first))
        print(f"report  PDF {seconds_pdf * 1000:.0f} ms ({len(pdf) // 1024} KiB), "
              f"Excel {seconds_xlsx * 1000:.0f} ms ({len(xlsx) // 1024} KiB) for one batch "
              f"({seconds_pdf / base:.0f}× / {seconds_xlsx / base:.0f}× baseline)")


if __name__ == "__main__":
    main()
