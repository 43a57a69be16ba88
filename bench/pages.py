"""Crawl benchmark: python bench/pages.py [--registrations 5000] [--keep-db] [--only NAME,...]

Issue 13: every page at national scale. Builds a PostgreSQL database (BENCH_DB_NAME,
default ``kompeten_pages_bench``; with ``--keep-db`` an existing one of the same size is
reused and kept): the access-matrix world of the test suite (tests/conftest.py build_world
+ tests/access_matrix.add_principals: the 2019 programme, agencies A and B, one user per
principal) plus a generated national population in the same programme: N accepted
registrations of N/50 agencies (agency A holds 1 %), placed in N/30 extra batches of 30
over a year, each with a rumpun group, announced and published, and rooms for them.

Then, in this process (Django's test client, no network), it logs in as each principal
(organiser, operator A, participant, facilitator X, assessor, anonymous) and GETs every
route of tests/access_matrix.MATRIX whose kwargs it can fill from that world (the ones it
cannot are listed), as the first principal of the route's ``who`` in that order, and as
anonymous too when the route is public. Per route: median of 3 timed GETs (after one
warm-up GET that counts queries and the growth of the process's peak RSS, and whose time
is shown as "1st ms": the cold cache; before each timed GET the data version moves on, as
after a write elsewhere, so a logged-in page that is cached whole is measured rendering),
response bytes, sorted by time, with the bare
/healthz view measured the same way.

Budgets (issue 13, at 100,000 registrations): an HTML page under 300 ms and 1 MB, a PDF
under 1 s, an export under 2 s. They apply as they are at any size (a page that misses
them at 5,000 misses them at 100,000 too). The exit status is 1 when a route exceeds its
budget, so it can run by hand or nightly (not in every CI run).
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
import json  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402

DB_NAME = os.getenv("BENCH_DB_NAME", "kompeten_pages_bench")
ROLE_ORDER = ("organiser", "operator_a", "facilitator_x", "assessor", "participant")
HTML_MS, PDF_MS, EXPORT_MS = 300, 1000, 2000
HTML_BYTES = 1_000_000
# Bumped whenever populate() writes other rows: --keep-db rebuilds an older database.
# 2: the later stages (attendance, exam, decisions + sidang, certificates, monev).
WORLD_VERSION = 3


@dataclass
class Row:
    route: str
    who: str
    path: str
    status: int
    ms: float
    first_ms: float  # the warm-up GET: a cold cache
    queries: int
    bytes: int
    rss_mb: float
    kind: str
    budget_ms: int
    over: str
    job_ms: float = 0.0  # background work the first GET queued (a report's figures)


# --------------------------------------------------------------------------- database


def setup_django(workdir: Path, keep: bool, size: int):
    from bench.harness import Database

    database = Database(name=DB_NAME)
    reuse = keep and _has_world(database, size)
    if not reuse:
        database.recreate()
    if keep:
        # The kept world's uploaded files (the participant's SP) live as long as its database.
        workdir = Path(tempfile.gettempdir()) / f"{DB_NAME}-files"
        if not reuse:
            shutil.rmtree(workdir, ignore_errors=True)
        workdir.mkdir(exist_ok=True)
    os.environ["DATABASE_URL"] = database.url
    os.environ["KOMPETEN_VAR_DIR"] = str(workdir)
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-pages-not-secret")
    os.environ["DJANGO_SETTINGS_MODULE"] = "kompeten.settings"
    import django

    django.setup()
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.BACKGROUND_JOBS = "eager"
    settings.MEDIA_ROOT = workdir / "private"
    settings.ALLOWED_HOSTS = ["*"]
    from django.core.management import call_command

    # Also on a reused database: a fix may add a table or a column (migrate is a no-op else).
    call_command("migrate", verbosity=0)
    if reuse:
        from django.db import connection

        # As autovacuum would after a migration's backfill (the bench server runs without
        # it): fresh statistics and the visibility map that index-only scans need.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return database, reuse


def _has_world(database, size: int) -> bool:
    import psycopg

    try:
        with psycopg.connect(database.url, connect_timeout=5) as conn:
            row = conn.execute("SELECT value FROM bench_pages_world").fetchone()
    except psycopg.Error:
        return False
    if not row:
        return False
    world = json.loads(row[0])
    return world.get("size") == size and world.get("version") == WORLD_VERSION


def _save_world(ctx: dict, size: int) -> None:
    """The world's objects by model and pk, so --keep-db finds them again."""
    from django.db import connection
    from django.db.models import Model

    def ref(value):
        if isinstance(value, Model):
            return {"model": value._meta.label, "pk": value.pk}
        if isinstance(value, dict):
            return {"dict": {str(k): ref(v) for k, v in value.items()}}
        if isinstance(value, set | frozenset):
            return None
        return {"value": value}

    data = {"size": size, "version": WORLD_VERSION, "ctx": {k: ref(v) for k, v in ctx.items()}}
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_pages_world (value text)")
        cursor.execute("DELETE FROM bench_pages_world")
        cursor.execute("INSERT INTO bench_pages_world VALUES (%s)", [json.dumps(data)])


def _load_world() -> dict:
    from django.apps import apps
    from django.db import connection

    from kompeten.accounts.models import Role

    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM bench_pages_world")
        data = json.loads(cursor.fetchone()[0])

    def load(ref):
        if ref is None:
            return None
        if "model" in ref:
            return apps.get_model(ref["model"]).objects.get(pk=ref["pk"])
        if "dict" in ref:
            return {k: load(v) for k, v in ref["dict"].items()}
        return ref["value"]

    ctx = {k: load(v) for k, v in data["ctx"].items()}
    ctx["users"] = {Role(k): v for k, v in ctx["users"].items()}
    return ctx


def build_world(size: int) -> dict:
    from tests.access_matrix import add_principals
    from tests.conftest import build_world as matrix_world
    from tests.conftest import make_agency_a, make_agency_b, make_users, open_program_2019
    from tests.upload_samples import matrix_document, matrix_work_history_entry

    agency_a = make_agency_a()
    ctx = add_principals(matrix_world(open_program_2019(), agency_a, make_agency_b(),
                                      make_users(agency_a)))
    # The participant's uploaded SP and a position, made while their file is still open (the
    # later stages' samples accept it, after which neither can be added any more).
    matrix_document(ctx)
    matrix_work_history_entry(ctx)
    populate(ctx["program"], ctx["agency_a"], size, random.Random(2019 + size))
    return ctx


def populate(program, agency_a, size: int, rng: random.Random) -> None:
    """size accepted, placed, grouped and announced officials in size/30 new batches."""
    from django.utils import timezone

    from kompeten.batching.models import Placement
    from kompeten.classroom.models import Publication
    from kompeten.dormitory.master import create_rooms
    from kompeten.dormitory.rooms import assign_rooms
    from kompeten.programs.models import Agency, AgencyKind, Batch, Level
    from kompeten.registration.models import Registration
    from kompeten.rumpun.models import Membership, Topic

    levels = list(Level.objects.order_by("order"))
    first = (program.batches.order_by("-number").values_list("number", flat=True).first()
             or 0) + 1
    start = dt.date(program.year, 7, 1)
    count = -(-size // 30)
    per_day = max(1, -(-count // 240))
    batches = Batch.objects.bulk_create(
        (Batch(program=program, number=first + i, level=levels[i % len(levels)],
               start_date=start + dt.timedelta(days=(i // per_day) * 7 // 5),
               end_date=start + dt.timedelta(days=(i // per_day) * 7 // 5 + 2),
               capacity=30, venue="Pusbang ASN")
         for i in range(count)), batch_size=2000)
    agencies = [agency_a, *Agency.objects.bulk_create(
        (Agency(code=f"BP-{i:05d}", name=f"Badan Kepegawaian Daerah Bench {i}",
                kind=AgencyKind.KL_PUSAT) for i in range(max(10, size // 50))),
        batch_size=2000)]
    weights = [len(agencies) / 100, *(1 / (rank + 1) ** 0.8 for rank in range(len(agencies) - 1))]
    seats: dict[tuple[int, int], int] = {}
    qualification = _qualifications(program)
    registrations, slots = [], []
    for batch in batches:
        for seat in range(1, batch.capacity + 1):
            if len(registrations) == size:
                break
            agency = rng.choices(agencies, weights=weights)[0]
            key = (agency.pk, batch.level_id)
            seats[key] = seats.get(key, 1000) + 1
            n = len(registrations)
            female = n % 3 == 0
            birth = dt.date(1965, 1, 1) + dt.timedelta(days=n % 9000)
            registrations.append(Registration(
                program=program, agency=agency, level_id=batch.level_id, seat=seats[key],
                status="accepted", qualification_id=qualification.get(batch.level_id),
                nip=f"{birth:%Y%m%d}1995{1 + n % 12:02d}{2 if female else 1}{n // 9000:03d}",
                birth_date=birth, gender="P" if female else "L",
                full_name=f"Dr. Pejabat Nasional {n}, S.E., M.Si.",
                plain_name=f"Pejabat Nasional {n}", position="Kepala Bidang",
                email=f"p{n}@bench.test"))
            slots.append((batch, seat))
    Registration.objects.bulk_create(registrations, batch_size=2000)
    placements = Placement.objects.bulk_create(
        (Placement(registration=r, batch=b, seat=s, is_announced=True)
         for r, (b, s) in zip(registrations, slots, strict=True)), batch_size=2000)
    topics = list(Topic.objects.all()) or [Topic.objects.create(
        code=f"rumpun-{i}", name=f"Rumpun {i}", order=i) for i in range(6)]
    Membership.objects.bulk_create(
        (Membership(placement=p, topic=topics[i % len(topics)],
                    suggested_topic=topics[i % len(topics)])
         for i, p in enumerate(placements)), batch_size=2000)
    Publication.objects.get_or_create(program=program, defaults={
        "published_at": timezone.now(), "published_by_id": _organiser_id()})
    for building in range(max(1, size // 1000)):
        create_rooms(building=f"Asrama N{building + 1:02d}", count=100)
    assign_rooms(program=program)
    populate_later(program, placements, rng)


def _qualifications(program) -> dict[int, int]:
    """The qualification of each level that every participant may take (scope all/non-BKN)."""
    from kompeten.programs.models import ProgramQualification

    found: dict[int, int] = {}
    for level_id, pk in (ProgramQualification.objects
                         .filter(program=program, scope__in=["all", "non_bkn"])
                         .order_by("pk").values_list("level_id", "pk")):
        found.setdefault(level_id, pk)
    return found


def populate_later(program, placements, rng: random.Random) -> dict[str, int]:
    """The later stages of the generated batches, written with COPY (bench/harness.py):
    two lessons of attendance per participant (1 in 10 absent from the first), a written
    test in 1 batch of 10 (closed attempts), an assessor per 10 batches assigning every
    participant, signed unit decisions (version 1; 1 BK in 40, a third of them corrected
    to K by a version 2 with a reason) released by a sidang in 9 batches of 10, training
    certificates for every participant of a released batch and competence certificates
    for those competent in every unit, three reaction ratings each, and a 3-month monev
    wave per batch inviting every participant (6 in 7 submitted, ~5 answers each, half
    with a suggestion)."""
    from django.utils import timezone

    from bench.harness import copy_rows, ids
    from kompeten.accounts.models import Role, User
    from kompeten.assessment.models import Assignment, Decision, Sidang
    from kompeten.certificates.models import Certificate
    from kompeten.classroom.attendance_models import AttendanceMark, EvaluationRating
    from kompeten.classroom.session_models import ClassSession, Facilitator
    from kompeten.exam.models import Attempt, ExamSession
    from kompeten.monev.models import Answer, Invitation, Item, Response, Wave
    from kompeten.monev.questionnaires import ensure_defaults
    from kompeten.programs.models import ProgramUnit

    started = time.perf_counter()
    now = timezone.now()
    organiser = _organiser_id()
    counts: dict[str, int] = {}
    batches = sorted({p.batch for p in placements}, key=lambda b: b.number)
    by_batch: dict[int, list[int]] = {}
    for p in placements:
        by_batch.setdefault(p.batch_id, []).append(p.registration_id)
    qualification_of = dict(zip((p.registration_id for p in placements),
                                (p.registration.qualification_id for p in placements),
                                strict=True))
    units: dict[int, list[int]] = {}
    for pk, q in ProgramUnit.objects.filter(qualification__program=program).order_by(
            "qualification_id", "order").values_list("pk", "qualification_id"):
        units.setdefault(q, []).append(pk)
    names = {p.registration_id: p.registration.plain_name for p in placements}

    # classroom: two lessons a batch, attendance, reaction ratings
    sessions = []
    for batch in batches:
        day = timezone.make_aware(dt.datetime.combine(batch.start_date, dt.time(8)))
        for k in range(2):
            start = day + dt.timedelta(hours=4 * k)
            sessions.append(ClassSession(batch=batch, day=1, starts_at=start,
                                         ends_at=start + dt.timedelta(hours=3),
                                         title=f"Materi {k + 1}", jp=4))
    ClassSession.objects.bulk_create(sessions, batch_size=5000)
    lessons: dict[int, list[int]] = {}
    for session in sessions:
        lessons.setdefault(session.batch_id, []).append(session.pk)
    counts["attendance"] = copy_rows(AttendanceMark, (
        {"session_id": session, "registration_id": pk,
         "status": "absent" if k == 0 and pk % 10 == 0 else "present", "reason": "",
         "source": "roll_call", "client_id": None, "marked_by_id": None, "marked_at": now}
        for batch, pks in by_batch.items() for k, session in enumerate(lessons[batch])
        for pk in pks))
    facilitators = Facilitator.objects.bulk_create(
        [Facilitator(name=f"Dr. Widyaiswara Nasional {i}", kind="widyaiswara")
         for i in range(40)])
    counts["ratings"] = copy_rows(EvaluationRating, (
        {"program_id": program.pk, "batch_id": batch, "session_id": None,
         "facilitator_id": facilitators[(batch * 7 + k) % len(facilitators)].pk,
         "score": 1 + (pk * 31 + k) % 5, "comment": ""}
        for batch, pks in by_batch.items() for pk in pks for k in range(3)))

    # exam: a closed written test in 1 batch of 10
    tested = [b for i, b in enumerate(batches) if i % 10 == 5]
    exams = ExamSession.objects.bulk_create(
        [ExamSession(batch=b, token=f"B{b.pk:09d}", minutes=90, created_by_id=organiser,
                     opened_at=now, closed_at=now) for b in tested], batch_size=5000)
    counts["attempts"] = copy_rows(Attempt, (
        {"session_id": exam.pk, "registration_id": pk, "started_at": now,
         "deadline": now + dt.timedelta(minutes=90), "closed_at": now,
         "close_reason": "submitted", "scored_at": now}
        for exam in exams for pk in by_batch[exam.batch_id]))

    # assessment: an assessor per 10 batches, signed decisions, a sidang in 9 batches of 10
    assessors = User.objects.bulk_create(
        [User(username=f"asesor-nasional-{i}", role=Role.ASSESSOR, password="!",
              first_name=f"Asesor {i}") for i in range(-(-len(batches) // 10))])
    counts["assignments"] = copy_rows(Assignment, (
        {"registration_id": pk, "batch_id": batch, "observation": "",
         "assessor_id": assessors[i // 10].pk, "assigned_at": now}
        for i, (batch, pks) in enumerate(by_batch.items()) for pk in pks))
    released = {b.pk for i, b in enumerate(batches) if i % 10 != 9}
    Sidang.objects.bulk_create(
        [Sidang(batch_id=b, held_on=dt.date(program.year, 12, 1), decree_number=f"SK-N-{b}",
                panel_members="Ketua\nAnggota", locked_at=now, by_id=organiser)
         for b in sorted(released)], batch_size=5000)
    competent: list[tuple[int, int, int]] = []

    def decisions():
        for i, (batch, pks) in enumerate(by_batch.items()):
            assessor = assessors[i // 10].pk
            for pk in pks:
                mine = units.get(qualification_of[pk], [])
                all_k = True
                for unit in mine:
                    verdict = "K" if (pk * 7 + unit) % 40 else "BK"
                    yield {"registration_id": pk, "unit_id": unit, "version": 1,
                           "verdict": verdict, "note": "", "feedback": "", "reason": "",
                           "by_id": assessor, "created_at": now, "signed_at": now,
                           "appeal_id": None}
                    if verdict == "BK" and pk % 3 == 0:
                        verdict = "K"
                        yield {"registration_id": pk, "unit_id": unit, "version": 2,
                               "verdict": "K", "note": "", "feedback": "",
                               "reason": "Koreksi salah ketik", "by_id": assessor,
                               "created_at": now, "signed_at": now, "appeal_id": None}
                    all_k = all_k and verdict == "K"
                if batch in released:
                    competent.append((pk, batch, len(mine) if all_k else -1))
    counts["decisions"] = copy_rows(Decision, decisions())

    # certificates: training for every participant of a released batch, competence for K
    def certificates():
        for pk, batch, units_k in competent:
            for kind in ("training", "competence"):
                if kind == "competence" and units_k < 0:
                    continue
                yield {"registration_id": pk, "program_id": program.pk, "batch_id": batch,
                       "kind": kind, "version": 1, "public_id": f"bench-{kind}-{pk}",
                       "number": f"{program.code}/{kind[0].upper()}/{pk:07d}",
                       "full_name": names[pk], "nip": "0" * 18,
                       "qualification_name": "Kualifikasi", "level_name": "Jenjang",
                       "units": "[]", "units_k": max(units_k, 0),
                       "units_total": max(units_k, 0), "place": "Jakarta",
                       "signatory_name": "Kepala", "signatory_title": "Kepala Pusat",
                       "signatory_nip": "", "basis": "Sidang penetapan", "issued_at": now,
                       "issued_by_id": organiser, "revoked_at": None, "revoke_reason": "",
                       "revoked_by_id": None, "replaces_id": None, "pdf": "",
                       "pdf_sha256": "", "is_signed": False}
    counts["certificates"] = copy_rows(Certificate, certificates())

    # monev: a 3-month wave per batch inviting every participant
    questionnaire = ensure_defaults(program=program)["participant"]
    items = list(Item.objects.filter(section__questionnaire=questionnaire,
                                     kind__in=["likert", "text"]).order_by("section__order",
                                                                           "order"))
    waves = Wave.objects.bulk_create(
        [Wave(program=program, batch=b, offset_months=3,
              opens_on=b.start_date + dt.timedelta(days=90),
              closes_on=b.start_date + dt.timedelta(days=120)) for b in batches],
        batch_size=5000)
    copy_rows(Invitation, (
        {"wave_id": wave.pk, "registration_id": pk, "audience": "participant",
         "name": names[pk], "email": f"p{pk}@bench.test", "token_salt": "s",
         "token_hash": f"bench{pk:059d}", "expires_at": now, "revoked_at": None,
         "opened_at": now, "created_at": now,
         # six in seven answered; the invitation keeps a copy of its response's time
         "answered_at": now if pk % 7 else None}
        for wave in waves for pk in by_batch[wave.batch_id]))
    invitations = list(Invitation.objects.filter(wave__program=program,
                                                 token_hash__startswith="bench")
                       .order_by("pk").values_list("pk", "registration_id"))
    counts["invitations"] = len(invitations)
    copy_rows(Response, ({"invitation_id": pk, "started_at": now, "updated_at": now,
                          "submitted_at": now if registration % 7 else None}
                         for pk, registration in invitations))
    responses = ids(Response, invitation__token_hash__startswith="bench",
                    submitted_at__isnull=False)
    words = ["mentor", "materi", "waktu", "sistem merit", "pendampingan", "anggaran"]

    def answers():
        for pk in responses:
            for index, item in enumerate(items):
                if item.kind == "text":
                    if pk % 2:
                        yield {"response_id": pk, "item_id": item.pk, "number": None,
                               "text": f"Saran tentang {rng.choice(words)} nomor {pk}"}
                elif (pk + index) % 10:
                    yield {"response_id": pk, "item_id": item.pk,
                           "number": 1 + (pk * 7 + index) % 5, "text": ""}
    counts["monev answers"] = copy_rows(Answer, answers())
    from django.db import connection

    with connection.cursor() as cursor:
        # As autovacuum would (the bench server runs without it): the planner's statistics
        # and the visibility map, without which no index-only scan skips the table.
        cursor.execute("VACUUM ANALYZE")
    print("later stages: " + ", ".join(f"{k} {v:,}" for k, v in counts.items())
          + f" ({time.perf_counter() - started:.0f} s)", flush=True)
    return counts


def _organiser_id() -> int:
    from kompeten.accounts.models import Role, User

    return User.objects.filter(role=Role.ORGANISER).values_list("pk", flat=True).first()


# --------------------------------------------------------------------------- crawling


def rss_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def kind_of(response, route: str) -> str:
    content_type = response.get("Content-Type", "")
    if "pdf" in content_type:
        return "pdf"
    if "html" in content_type:
        return "html"
    if ("export" in route or "spreadsheet" in content_type or "csv" in content_type
            or response.get("Content-Disposition", "").startswith("attachment")):
        return "export"  # a file to download (a participant's own data as JSON too)
    return "other"


def measure(client, route: str, who: str, path: str, repeat: int) -> Row:
    from django.db import connection

    from kompeten.common import datachange

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    gc.collect()
    before = rss_peak_mb()
    with connection.execute_wrapper(count):
        started = time.perf_counter()
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    first_ms = (time.perf_counter() - started) * 1000
    job_ms = run_queued_report_jobs()
    grown = rss_peak_mb() - before
    times = []
    for _ in range(repeat):
        # As after a write elsewhere: a logged-in page cached whole (user_page) is rendered
        # again, so the budget applies to rendering it, not to serving it from the cache.
        datachange.note_write()
        started = time.perf_counter()
        again = client.get(path)
        if again.streaming:
            b"".join(again.streaming_content)
        times.append((time.perf_counter() - started) * 1000)
    kind = kind_of(response, route)
    budget = {"pdf": PDF_MS, "export": EXPORT_MS}.get(kind, HTML_MS)
    ms = statistics.median(times)
    over = []
    if response.status_code == 200 and ms > budget:
        over.append("time")
    if response.status_code == 200 and kind == "html" and len(body) > HTML_BYTES:
        over.append("size")
    return Row(route=route, who=who, path=path, status=response.status_code, ms=ms,
               first_ms=first_ms, queries=len(queries), bytes=len(body), rss_mb=grown,
               kind=kind, budget_ms=budget, over=",".join(over), job_ms=job_ms)


def run_queued_report_jobs() -> float:
    """Compute the report figures a GET asked for (ms). The jobs are eager here but wait for
    a commit the crawl's transaction never makes; a worker would run them meanwhile. The
    page is then measured as its next visitors see it; the job's time is its own column."""
    from kompeten.reports import services
    from kompeten.reports.models import ReportSnapshot, SnapshotStatus

    started = time.perf_counter()
    queued = list(ReportSnapshot.objects.filter(status=SnapshotStatus.QUEUED)
                  .values_list("pk", flat=True))
    for pk in queued:
        services.compute_snapshot(snapshot_id=pk)
    return (time.perf_counter() - started) * 1000 if queued else 0.0


def crawl(ctx: dict, only: set[str], repeat: int) -> tuple[list[Row], list[str]]:
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    from tests.access_matrix import ANONYMOUS, MATRIX

    clients = {ANONYMOUS: Client()}
    for name in ROLE_ORDER:
        clients[name] = Client()
        clients[name].force_login(ctx["principals"][name])
    rows = [measure(clients[ANONYMOUS], "healthz (bare)", ANONYMOUS, reverse("healthz"),
                    repeat)]
    skipped = []
    for route, entry in sorted(MATRIX.items()):
        if "GET" not in entry.methods or route in {"healthz", "logout"}:
            continue
        if only and not any(part in route for part in only):
            continue
        if entry.get_redirects or route.startswith("password_reset_confirm"):
            skipped.append(f"{route} (redirects on GET)")
            continue
        try:
            # a savepoint: a sample that cannot be made here (it collides with another
            # route's sample) is listed as not crawled without breaking the crawl's transaction
            with transaction.atomic():
                path = reverse(route, kwargs=entry.kwargs(ctx)) + entry.query
        except Exception as exc:  # noqa: BLE001 - listed, not fatal
            skipped.append(f"{route} ({type(exc).__name__}: {str(exc)[:60]})")
            continue
        who = [name for name in ROLE_ORDER if name in entry.who and
               name not in entry.redirected]
        if ANONYMOUS in entry.who:
            who = [*who[:1], ANONYMOUS]
        for name in who[:2]:
            rows.append(measure(clients[name], route, name, path, repeat))
            print(f"  {rows[-1].ms:8.1f} ms  {route} as {name}", flush=True)
    return rows, skipped


def print_rows(rows: list[Row], skipped: list[str]) -> None:
    bare = rows[0].ms
    head = (f"{'route':<40} {'as':<13} {'st':>3} {'ms':>8} {'1st ms':>8} {'x bare':>7} "
            f"{'budget':>6} "
            f"{'queries':>7} {'bytes':>9} {'+rss MB':>7} {'job ms':>7} over")
    print(head)
    print("-" * len(head))
    for r in sorted(rows, key=lambda r: -r.ms):
        print(f"{r.route[:40]:<40} {r.who[:13]:<13} {r.status:>3} {r.ms:>8.1f} "
              f"{r.first_ms:>8.1f} {r.ms / bare if bare else 0:>7.0f} {r.budget_ms:>6} "
              f"{r.queries:>7} {r.bytes:>9} {r.rss_mb:>7.1f} "
              f"{f'{r.job_ms:.0f}' if r.job_ms else '':>7} {r.over}")
    if skipped:
        print(f"\nnot crawled ({len(skipped)}):")
        for line in skipped:
            print(f"  {line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--registrations", type=int, default=5000)
    parser.add_argument("--keep-db", action="store_true",
                        help="reuse the database if it holds this size, and keep it")
    parser.add_argument("--only", default="", help="comma-separated parts of route names")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    only = {part for part in args.only.split(",") if part}
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        database, reused = setup_django(Path(tmp), args.keep_db, args.registrations)
        try:
            import django
            from django.db import connection

            started = time.perf_counter()
            if reused:
                ctx = _load_world()
            else:
                ctx = build_world(args.registrations)
                _save_world(ctx, args.registrations)
            from kompeten.registration.models import Registration

            print(f"python {platform.python_version()}, Django {django.get_version()}, "
                  f"PostgreSQL {connection.pg_version}, {os.cpu_count()} cpus; database "
                  f"{DB_NAME} {'reused' if reused else 'built'} in "
                  f"{time.perf_counter() - started:.1f}s: "
                  f"{Registration.objects.count()} registrations, "
                  f"{ctx['program'].batches.count()} batches", flush=True)
            # The crawl's samples (tests/matrix: an appeal, a certificate, a wave...) are
            # rolled back, so a database kept for the next run holds only the world (else
            # the next crawl's samples collide with them and their routes are skipped).
            from django.db import transaction

            with transaction.atomic():
                rows, skipped = crawl(ctx, only, args.repeat)
                transaction.set_rollback(True)
        finally:
            from django.db import connections

            connections.close_all()
            if not args.keep_db:
                database.drop()
    print()
    print(f"budgets: HTML {HTML_MS} ms and {HTML_BYTES // 1000} kB, PDF {PDF_MS} ms, export "
          f"{EXPORT_MS} ms; {args.registrations} registrations; ms = median of {args.repeat}")
    print_rows(rows, skipped)
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in rows], indent=2))
    failed = [r for r in rows if r.over]
    print(f"\n{len(failed)} of {len(rows)} over budget")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
