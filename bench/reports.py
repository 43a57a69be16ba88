"""Reports benchmark: python bench/reports.py [--scale 0.05] [--runs 5] [--keep-db]

Generates on PostgreSQL (database kompeten_bench_reports, created and dropped) a history of
10 programme years with, at --scale 1, 100,000 registrations (all placed, 1 lesson of
attendance each), about 1.4 million unit decisions (every unit of the registration's
qualification; 5% corrected by a second version; released by a sidang per batch),
about 80,000 competence certificates, 300,000 reaction ratings and 200,000 monev answers
(40,000 participants of the last four years invited to the 3-month wave, 6 in 7
answered, about 5.9 answers each, half of them with a suggestion). Rows are written with COPY.
The default --scale 0.05 is a quick run (5,000 registrations).

Then, in one process through Django's test client (the project's middleware, templates and
session; no network), as the organiser: every report page --runs times (after one warm-up),
p50 / p95 in ms and the number of queries, next to a bare view (HttpResponse("ok") behind
the same middleware) in the same run; and the peak of Python allocations (tracemalloc)
while the largest Excel exports are written and streamed, at the full filter and at one
level only: a flat peak is the same for both.
"""

# The generators in the loop of generate() are consumed in the same iteration (COPY).
# ruff: noqa: B023
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
import random  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

DB_NAME = os.getenv("BENCH_DB_NAME", "kompeten_bench_reports")
YEARS = 10
FULL_REGISTRATIONS = 100_000
SEED = 2019


def setup_django(tmp: Path, *, reuse: bool = False):
    from bench.harness import Database

    pg = Database(name=DB_NAME)
    if not reuse:
        pg.recreate()
    os.environ["DATABASE_URL"] = pg.url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["KOMPETEN_VAR_DIR"] = str(tmp)
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return pg


# -- COPY (shared with bench/pages.py: bench/harness.py) ------------------------------------

from bench.harness import copy_rows, ids  # noqa: E402

# -- data -------------------------------------------------------------------------------------

def generate(scale: float) -> dict:
    from django.utils import timezone

    from kompeten.accounts.models import Role, User
    from kompeten.assessment.models import Decision, Sidang
    from kompeten.batching.models import Placement
    from kompeten.certificates.models import Certificate
    from kompeten.classroom.attendance_models import AttendanceMark, EvaluationRating
    from kompeten.classroom.session_models import ClassSession, Facilitator
    from kompeten.home.demo import demo_agencies
    from kompeten.monev.models import (
        Answer,
        Invitation,
        Item,
        Questionnaire,
        Response,
        Section,
        Wave,
    )
    from kompeten.programs.models import Agency, Batch, Level, ProgramUnit
    from kompeten.programs.services import copy_program, create_program_2019
    from kompeten.registration.models import Registration

    rnd = random.Random(SEED)
    started = time.perf_counter()
    source = create_program_2019()
    Agency.objects.bulk_create(demo_agencies())
    agencies = list(Agency.objects.values_list("pk", flat=True))
    organiser = User.objects.create(username="penyelenggara", role=Role.ORGANISER)
    organiser.set_password("kompeten2019")
    organiser.save()
    levels = {level.code: level for level in Level.objects.all()}
    share = {"jpt-pratama": 0.06, "administrator": 0.64, "pengawas": 0.30}
    per_year = round(FULL_REGISTRATIONS * scale / YEARS)
    programs = [source] + [copy_program(source=source, year=2019 + i, code=f"{2019 + i}")
                           for i in range(1, YEARS)]
    facilitators = Facilitator.objects.bulk_create(
        [Facilitator(name=f"Dr. Fasilitator {i}", kind="widyaiswara") for i in range(40)])
    counts = {"registrations": 0, "decisions": 0, "certificates": 0, "answers": 0,
              "ratings": 0, "attendance": 0}
    for year_index, program in enumerate(programs):
        units: dict[int, list[int]] = {}
        qualification: dict[int, int] = {}
        for unit in ProgramUnit.objects.filter(qualification__program=program,
                                               qualification__scope__in=["all", "non_bkn"]
                                               ).select_related("qualification"):
            units.setdefault(unit.qualification.level_id, []).append(unit.pk)
            qualification[unit.qualification.level_id] = unit.qualification_id
        base = program.batches.order_by("start_date").first().start_date
        batches: dict[int, list[int]] = {}
        need = {code: max(1, -(-round(per_year * share[code]) // 30)) for code in share}
        existing = {code: list(program.batches.filter(level=levels[code])) for code in share}
        number = program.batches.count()
        extra = []
        for code, wanted in need.items():
            for i in range(len(existing[code]), wanted):
                number += 1
                start = base + dt.timedelta(days=7 * (i % 40))
                extra.append(Batch(program=program, level=levels[code], number=number,
                                   start_date=start, end_date=start + dt.timedelta(days=1)))
        Batch.objects.bulk_create(extra)
        for code in share:
            batches[levels[code].pk] = ids(Batch, program=program, level=levels[code])
        now = timezone.now()
        seats: dict[tuple[int, int], int] = {}
        plan = []
        for code, fraction in share.items():
            level = levels[code]
            for _ in range(round(per_year * fraction)):
                agency = rnd.choice(agencies)
                key = (agency, level.pk)
                seats[key] = seats.get(key, 0) + 1
                plan.append((agency, level.pk, seats[key]))
        serial = counts["registrations"]

        def registrations():
            for index, (agency, level_id, seat) in enumerate(plan):
                n = serial + index
                birth = dt.date(1965, 1, 1) + dt.timedelta(days=n % 9000)
                yield {"program_id": program.pk, "agency_id": agency, "level_id": level_id,
                       "seat": seat, "status": "accepted", "qualification_id":
                       qualification.get(level_id), "nip": f"{birth:%Y%m%d}{n:010d}"[:18],
                       "is_pppk": False, "birth_date": birth, "gender": "LP"[n % 2],
                       "full_name": f"Pejabat Bench {n}", "plain_name": f"Pejabat Bench {n}",
                       "position": "Kepala Bidang", "work_unit": "", "email": f"b{n}@x.test",
                       "phone": "", "mentor_name": "", "mentor_nip": "", "mentor_position": "",
                       "mentor_email": "", "nominated_at": now, "registered_at": now,
                       "submitted_at": now, "user_id": None, "nominated_by_id": None}
        counts["registrations"] += copy_rows(Registration, registrations())
        regs = list(Registration.objects.filter(program=program).order_by("pk")
                    .values_list("pk", "level_id"))
        placed: list[tuple[int, int, int]] = []
        filled: dict[int, int] = {}
        cursor_by_level: dict[int, int] = {}
        for pk, level_id in regs:
            pool = batches[level_id]
            i = cursor_by_level.get(level_id, 0)
            batch = pool[(i // 30) % len(pool)]
            cursor_by_level[level_id] = i + 1
            filled[batch] = filled.get(batch, 0) + 1
            placed.append((pk, level_id, batch))
        seat_of: dict[int, int] = {}

        def placements():
            for pk, _level, batch in placed:
                seat_of[batch] = seat_of.get(batch, 0) + 1
                yield {"registration_id": pk, "batch_id": batch, "seat": seat_of[batch],
                       "waiting_since": None, "stays_in_dorm": True, "is_manual": False,
                       "is_announced": True, "updated_at": now}
        copy_rows(Placement, placements())
        sessions = {}
        for batch in Batch.objects.filter(program=program):
            start = timezone.make_aware(dt.datetime.combine(batch.start_date, dt.time(8)))
            sessions[batch.pk] = ClassSession(batch=batch, day=1, starts_at=start,
                                              ends_at=start + dt.timedelta(hours=9),
                                              title="Materi", jp=12)
        ClassSession.objects.bulk_create(sessions.values())
        counts["attendance"] += copy_rows(AttendanceMark, (
            {"session_id": sessions[batch].pk, "registration_id": pk,
             "status": "present" if pk % 10 else "absent", "reason": "", "source": "roll_call",
             "client_id": None, "marked_by_id": None, "marked_at": now}
            for pk, _level, batch in placed))
        counts["ratings"] += copy_rows(EvaluationRating, (
            {"program_id": program.pk, "batch_id": batch, "session_id": None,
             "facilitator_id": facilitators[(batch * 7 + k) % len(facilitators)].pk,
             "score": 1 + (pk * 31 + k) % 5, "comment": ""}
            for pk, _level, batch in placed for k in range(3)))
        released = (set(filled) if year_index < YEARS - 1
                    else set(sorted(filled)[: len(filled) // 2]))
        Sidang.objects.bulk_create([Sidang(batch_id=b, held_on=base, decree_number=f"SK-{b}",
                                           panel_members="Ketua", locked_at=now, by=organiser)
                                    for b in released])
        competent: list[tuple[int, int]] = []

        def decisions():
            for pk, level_id, batch in placed:
                all_k = True
                for unit in units.get(level_id, []):
                    verdict = "K" if (pk * 7 + unit) % 40 else "BK"
                    yield {"registration_id": pk, "unit_id": unit, "version": 1,
                           "verdict": verdict, "note": "", "feedback": "", "reason": "",
                           "by_id": organiser.pk, "created_at": now, "signed_at": now,
                           "appeal_id": None}
                    if verdict == "BK" and pk % 3 == 0:
                        verdict = "K"
                        yield {"registration_id": pk, "unit_id": unit, "version": 2,
                               "verdict": "K", "note": "", "feedback": "",
                               "reason": "Koreksi", "by_id": organiser.pk, "created_at": now,
                               "signed_at": now, "appeal_id": None}
                    all_k = all_k and verdict == "K"
                if all_k and batch in released:
                    competent.append((pk, batch))
        counts["decisions"] += copy_rows(Decision, decisions())
        counts["certificates"] += copy_rows(Certificate, (
            {"registration_id": pk, "program_id": program.pk, "batch_id": batch,
             "kind": "competence", "version": 1, "number": f"{program.code}/{pk}",
             "full_name": f"Pejabat Bench {pk}", "nip": "0" * 18, "qualification_name": "Q",
             "level_name": "L", "units": "[]", "units_k": 12, "units_total": 12,
             "place": "Jakarta", "signatory_name": "Kepala", "signatory_title": "Kepala Pusat",
             "signatory_nip": "", "basis": "Sidang", "issued_at": now, "issued_by_id": None,
             "revoked_at": None, "revoke_reason": "", "revoked_by_id": None,
             "replaces_id": None, "pdf": "", "pdf_sha256": "", "is_signed": False}
            for pk, batch in competent))
        if year_index >= YEARS - 4:
            counts["answers"] += _monev(program, placed, now, rnd, organiser,
                                        models=(Questionnaire, Section, Item, Wave, Invitation,
                                                Response, Answer))
        print(f"  {program.code}: {len(placed):,} registrations "
              f"({time.perf_counter() - started:.0f} s)", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts["seconds"] = round(time.perf_counter() - started, 1)
    return counts


def _monev(program, placed, now, rnd, organiser, *, models) -> int:
    Questionnaire, Section, Item, Wave, Invitation, Response, Answer = models
    questionnaire = Questionnaire.objects.create(program=program, audience="participant",
                                                 title="Monev peserta")
    section = Section.objects.create(questionnaire=questionnaire, order=1, title="Dampak")
    themes = ["impact", "impact", "application", "application", "support", "progress",
              "suggestion"]
    items = [Item.objects.create(section=section, order=i + 1,
                                 kind="text" if theme == "suggestion" else "likert",
                                 theme=theme, text=f"Butir {i + 1}")
             for i, theme in enumerate(themes)]
    waves = {}
    for batch in {b for _pk, _l, b in placed}:
        waves[batch] = Wave(program=program, batch_id=batch, offset_months=3,
                            opens_on=dt.date(program.year, 9, 1),
                            closes_on=dt.date(program.year, 9, 30))
    Wave.objects.bulk_create(waves.values())
    chosen = placed  # every participant of the year
    copy_rows(Invitation, (
        {"wave_id": waves[batch].pk, "registration_id": pk, "audience": "participant",
         "name": f"Pejabat {pk}", "email": f"b{pk}@x.test", "token_salt": "s",
         "token_hash": f"{program.pk:04d}{pk:060d}", "expires_at": now, "revoked_at": None,
         "opened_at": None, "created_at": now} for pk, _l, batch in chosen))
    invitations = ids(Invitation, wave__program=program)
    copy_rows(Response, ({"invitation_id": pk, "started_at": now, "updated_at": now,
                          "submitted_at": now if pk % 7 else None} for pk in invitations))
    # The invitation's copy of the time (monev.models.Invitation.answered_at).
    Invitation.objects.filter(wave__program=program,
                              response__submitted_at__isnull=False).update(answered_at=now)
    responses = list(Response.objects.filter(invitation__wave__program=program,
                                             submitted_at__isnull=False)
                     .order_by("pk").values_list("pk", flat=True))
    words = ["mentor", "materi", "waktu", "sistem merit", "pendampingan", "anggaran"]

    def answers():
        for pk in responses:
            for index, item in enumerate(items):
                if (pk + index) % 10 == 0 and item.theme != "suggestion":
                    continue
                if item.theme == "suggestion":
                    if pk % 2:
                        yield {"response_id": pk, "item_id": item.pk, "number": None,
                               "text": f"Saran tentang {rnd.choice(words)} nomor {pk}"}
                else:
                    yield {"response_id": pk, "item_id": item.pk,
                           "number": 1 + (pk * 7 + index) % 5, "text": ""}
    return copy_rows(Answer, answers())


# -- measurements --------------------------------------------------------------------------

def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def measure(client, url: str, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
            times.append(1000 * (time.perf_counter() - start))
        queries = len(captured)
    return {"p50": statistics.median(times), "p95": percentile(times, 0.95), "queries": queries}


def export_peak(client, url: str) -> dict:
    gc.collect()
    tracemalloc.start()
    start = time.perf_counter()
    response = client.get(url)
    size = sum(len(chunk) for chunk in response.streaming_content)
    seconds = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"peak_mb": peak / 2**20, "seconds": seconds, "bytes": size}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the data a previous --keep-db run left (no generation)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pg = setup_django(Path(tmp), reuse=args.reuse)
        try:
            return run(args)
        finally:
            if not args.keep_db:
                from django.db import connections

                connections.close_all()
                pg.drop()


def run(args) -> int:
    from django.conf import settings
    from django.test import Client

    from kompeten.accounts.models import User
    from kompeten.programs.models import Level

    settings.ALLOWED_HOSTS = ["*"]
    from kompeten.registration.models import Registration

    if args.reuse and Registration.objects.exists():
        counts = {"registrations (reused)": Registration.objects.count()}
    else:
        print(f"generating at scale {args.scale} ...", flush=True)
        counts = generate(args.scale)
    print("rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()), flush=True)
    client = Client()
    client.force_login(User.objects.get(username="penyelenggara"))
    latest = "2028"
    pages = [
        ("bare", "/bench/bare/"),
        ("funnel (per level, latest year)", f"/laporan/corong/?tahun={latest}"),
        ("funnel (per agency, latest year)", f"/laporan/corong/?tahun={latest}&per=agency"),
        ("funnel (per province, 2019)", "/laporan/corong/?tahun=2019&per=province"),
        ("competency map (all years)", "/laporan/peta-kompetensi/"),
        ("pass rates (latest year)", f"/laporan/kelulusan/?tahun={latest}"),
        ("monev (latest year)", f"/laporan/monev/?tahun={latest}"),
        ("monev suggestions search", f"/laporan/monev/?tahun={latest}&q=merit"),
        ("reaction (latest year)", f"/laporan/reaksi/?tahun={latest}"),
    ]
    results = {}
    for name, url in pages:
        results[name] = measure(client, url, args.runs)
    bare = results["bare"]["p50"]
    print(f"\n{'page':38} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'p50/bare':>9}")
    for name, row in results.items():
        print(f"{name:38} {row['p50']:8.1f} {row['p95']:8.1f} {row['queries']:8d} "
              f"{row['p50'] / bare:9.1f}")
    level = Level.objects.get(code="pengawas").pk
    exports = [
        ("monev export, latest year", f"/laporan/monev/excel/?tahun={latest}"),
        ("monev export, Pengawas only", f"/laporan/monev/excel/?tahun={latest}&level={level}"),
        ("funnel export per agency", f"/laporan/corong/excel/?tahun={latest}&per=agency"),
        ("competency export (all years)", "/laporan/peta-kompetensi/excel/"),
    ]
    print(f"\n{'export':38} {'seconds':>8} {'KB':>8} {'peak MB':>8}")
    for name, url in exports:
        row = export_peak(client, url)
        print(f"{name:38} {row['seconds']:8.2f} {row['bytes'] / 1024:8.0f} "
              f"{row['peak_mb']:8.2f}")
    print(f"\nmax RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; "
          f"slowest p95 {max(r['p95'] for n, r in results.items() if n != 'bare'):.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
