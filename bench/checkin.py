"""QR check-in under load: python bench/checkin.py [--concurrency C] [--spread S] [--keep-db]

180 participants of 6 batches check in to their session within the same minute against
gunicorn + PostgreSQL, each as a phone would: open the address the QR code encodes (the
confirmation page), then tap "Saya hadir" (POST); a third of them tap twice. Two phases, each
with its own 180 participants (6 other batches):

  minute  the 180 arrive at random moments spread over --spread seconds (60), each phone on
          its own connection, 1-3 s between opening the page and tapping (open loop, as in
          a classroom where everyone scans within the same minute);
  burst   the 180 check in back to back from --concurrency (12) phones at once, no pause:
          the worst case, far denser than one minute.

Printed: p50/p95/p99 of both requests next to the bare-view floor measured in the same run
(at concurrency 1 and at the burst's concurrency), and the marks in the database (none lost,
none doubled). Printed figures, not a timed test. Only loopback is contacted; the database
(kompeten_attendance by default) is dropped and recreated.
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
import http.client  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import urllib.parse  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

from bench.harness import (  # noqa: E402
    HOST,
    Database,
    ServedApp,
    Target,
    background_busy,
    cookies_from,
    http_get,
    load,
    login,
    require_loopback,
)

BATCHES = 12  # 6 for each phase
PER_BATCH = 30

# Run inside `manage.py shell` with the server's settings: move the first session of six
# batches of the current programme to now, seat 30 new participants in each and give each
# a logged-in session (as if they had logged in on their phone beforehand).
SETUP = r"""
import datetime as dt, json
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db.models import Max
from django.utils import timezone
from kompeten.accounts.models import Role, User
from kompeten.batching.models import Placement
from kompeten.classroom.session_models import ClassSession, SessionAssignment
from kompeten.programs.models import Agency, Program
from kompeten.registration.models import Registration

program = Program.objects.get(is_current=True)
agency = Agency.objects.order_by("code").first()
now = timezone.now()
out = []
serial = 0
for batch in program.batches.order_by("number")[:BATCHES]:
    session = ClassSession.objects.filter(batch=batch).order_by("starts_at").first()
    ClassSession.objects.filter(pk=session.pk).update(
        starts_at=now - dt.timedelta(minutes=5), ends_at=now + dt.timedelta(hours=2))
    SessionAssignment.objects.filter(session=session).delete()
    seat = Placement.objects.filter(batch=batch).aggregate(m=Max("seat"))["m"] or 0
    for _ in range(PER_BATCH):
        serial += 1
        seat += 1
        user = User.objects.create(username=f"bench-peserta-{serial}", role=Role.PARTICIPANT,
                                   password="!")
        registration = Registration.objects.create(
            program=program, agency=agency, level=batch.level, seat=20000 + serial,
            status="accepted", nip=f"19800101{2000 + serial:06d}{serial % 10}0"[:18],
            birth_date=dt.date(1980, 1, 1), gender="L", full_name=f"Peserta Uji {serial}",
            plain_name=f"Peserta Uji {serial}", position="Kepala Seksi",
            email=f"bench{serial}@instansi.test", user=user)
        Placement.objects.create(registration=registration, batch=batch, seat=seat)
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        out.append({"session": session.pk, "cookie": store.session_key,
                    "registration": registration.pk})
print("SETUP-JSON " + json.dumps(out))
""".replace("BATCHES", str(BATCHES)).replace("PER_BATCH", str(PER_BATCH))


class OwnDatabase(Database):
    """The helper's own PostgreSQL database (the brief's name) or a *bench* one."""

    def __post_init__(self) -> None:
        require_loopback(self.host)
        if self.name != "kompeten_attendance" and "bench" not in self.name:
            raise SystemExit(f"database {self.name!r}: use kompeten_attendance or a *bench* name")


@dataclass
class Phone:
    session: int
    cookie: str
    registration: int
    get_ms: list[float] = field(default_factory=list)
    post_ms: list[float] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)


def _request(conn, method, path, headers, body=None):
    start = time.perf_counter()
    conn.request(method, path, body=body, headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    return resp, data, (time.perf_counter() - start) * 1000


def check_in(port: int, phone: Phone, path: str, taps: int, think: float = 0.0) -> None:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        cookie = f"sessionid={phone.cookie}"
        resp, body, ms = _request(conn, "GET", path, {"Cookie": cookie})
        phone.get_ms.append(ms)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        jar = cookies_from(resp.headers)
        if resp.status != 200 or match is None or "csrftoken" not in jar:
            phone.outcomes.append(f"GET {resp.status}")
            return
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": match.group(1).decode()})
        headers = {"Cookie": f"{cookie}; csrftoken={jar['csrftoken']}",
                   "Content-Type": "application/x-www-form-urlencoded"}
        time.sleep(think)
        for _ in range(taps):
            resp, body, ms = _request(conn, "POST", path, headers, form)
            phone.post_ms.append(ms)
            if resp.status == 200 and b'id="checkin-done"' in body:
                phone.outcomes.append("again" if b"sebelumnya" in body else "new")
            else:
                phone.outcomes.append(f"POST {resp.status}")
    except (OSError, http.client.HTTPException) as exc:
        phone.outcomes.append(repr(exc))
    finally:
        conn.close()


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), int(-(-p * len(ordered) // 100))))
    return ordered[rank - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--concurrency", "-c", type=int, default=12,
                        help="phones checking in at the same moment (default 12)")
    parser.add_argument("--spread", type=float, default=60.0,
                        help="seconds over which the minute phase arrives (default 60)")
    parser.add_argument("--database", default="kompeten_attendance")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--seed", type=int, default=2019)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    app = ServedApp(db_name="kompeten_bench", workers=args.workers, worker_class="gthread",
                    threads=args.threads, conn_max_age=60, keep_db=args.keep_db)
    app.database = OwnDatabase(name=args.database)
    busy = background_busy()
    with app as ctx:
        port = ctx.server.port
        out = app.manage(ctx.server.env, "shell", "-c", SETUP)
        rows = json.loads(out.split("SETUP-JSON ", 1)[1])
        phones = [Phone(**row) for row in rows]
        organiser = login(port, "penyelenggara", "kompeten2019")
        paths: dict[int, str] = {}

        def show_codes() -> None:
            """What the rooms' screens show: each session's current QR code (address)."""
            for session in sorted({p.session for p in phones}):
                status, _headers, body = http_get(port, f"/kelas/sesi/{session}/layar/qr/",
                                                  {"Cookie": organiser})
                url = re.search(rb'id="checkin-url">([^<]+)<', body)
                if status != 200 or url is None:
                    raise SystemExit(f"QR fragment of session {session}: HTTP {status}")
                paths[session] = urllib.parse.urlsplit(url.group(1).decode().strip()).path

        show_codes()
        stop = threading.Event()

        def screens() -> None:  # the screens refresh every 20 s, as the page's htmx does
            while not stop.wait(20):
                show_codes()

        screen_thread = threading.Thread(target=screens, daemon=True)
        screen_thread.start()
        bare = Target("bare", "/bench/bare/", "HttpResponse('ok')", expect=b"ok")
        load(port, bare, 200, args.concurrency, 60, record=False)  # warm-up
        floor_1 = load(port, bare, 360, 1, 60, ctx.server)
        floor = load(port, bare, 180, args.concurrency, 60, ctx.server)

        sessions = sorted({p.session for p in phones})
        minute_sessions = set(sessions[:len(sessions) // 2])
        minute = [p for p in phones if p.session in minute_sessions]
        burst = [p for p in phones if p.session not in minute_sessions]
        doubles = {id(p) for group in (minute, burst)
                   for p in rng.sample(group, len(group) // 3)}
        cpu0 = ctx.server.cpu_seconds()

        # phase 1: arrivals spread over the minute, one thread (phone) each
        started = time.perf_counter()

        def arrive(phone: Phone, at: float, think: float) -> None:
            time.sleep(max(0.0, started + at - time.perf_counter()))
            check_in(port, phone, paths[phone.session], 2 if id(phone) in doubles else 1,
                     think)

        threads = [threading.Thread(target=arrive, args=(p, rng.uniform(0, args.spread),
                                                         rng.uniform(1, 3)))
                   for p in minute]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        minute_wall = time.perf_counter() - started

        # phase 2: back to back from `concurrency` phones
        rng.shuffle(burst)
        queue = list(burst)
        lock = threading.Lock()

        def worker() -> None:
            while True:
                with lock:
                    if not queue:
                        return
                    phone = queue.pop()
                check_in(port, phone, paths[phone.session], 2 if id(phone) in doubles else 1)

        started = time.perf_counter()
        threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
        server_cpu = ctx.server.cpu_seconds() - cpu0
        stop.set()
        screen_thread.join()
        floor_after = load(port, bare, 2 * len(burst), args.concurrency, 60, ctx.server)
        floor.latencies.extend(floor_after.latencies)
        floor.errors += floor_after.errors

        import psycopg

        with psycopg.connect(host=HOST, port=5432, user="postgres", dbname=args.database) as db:
            marks = db.execute(
                "SELECT session_id, registration_id, count(*) FROM classroom_attendancemark "
                "GROUP BY session_id, registration_id").fetchall()
        recorded = {(s, r): n for s, r, n in marks}
        expected = {(p.session, p.registration) for p in phones}
        lost = len(expected - set(recorded))
        doubled = sum(n - 1 for n in recorded.values())
        stray = len(set(recorded) - expected)
        outcomes: dict[str, int] = {}
        for phone in phones:
            for outcome in phone.outcomes:
                outcomes[outcome] = outcomes.get(outcome, 0) + 1

        def ms(group, attr):
            return [v for p in group for v in getattr(p, attr)]

        print("QR check-in benchmark (bench/checkin.py)")
        for key, value in ctx.facts.items():
            print(f"  {key}: {value}")
        print(f"  background load before the run: {busy:.2f} cores busy (other work)")
        print(f"  phases: minute = {len(minute)} phones of {len(minute_sessions)} batches "
              f"arriving over {args.spread:.0f}s, done in {minute_wall:.1f}s; burst = "
              f"{len(burst)} phones of {len(sessions) - len(minute_sessions)} batches, "
              f"{args.concurrency} at once, done in {wall:.2f}s; a third tap twice; "
              f"server CPU {server_cpu:.1f}s")
        print(f"\n  {'request':<40}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
        lines = [("bare view, concurrency 1 (floor)", [v * 1000 for v in floor_1.latencies]),
                 (f"bare view, concurrency {args.concurrency} (floor)",
                  [v * 1000 for v in floor.latencies]),
                 ("minute: GET check-in page", ms(minute, "get_ms")),
                 ("minute: POST check-in (tap)", ms(minute, "post_ms")),
                 ("burst: GET check-in page", ms(burst, "get_ms")),
                 ("burst: POST check-in (tap)", ms(burst, "post_ms"))]
        for label, values in lines:
            print(f"  {label:<40}{len(values):>6}{pct(values, 50):>9.1f}"
                  f"{pct(values, 95):>9.1f}{pct(values, 99):>9.1f}{max(values):>9.1f}")
        print(f"\n  outcomes: {dict(sorted(outcomes.items()))}")
        print(f"  marks in the database: {sum(recorded.values())} for {len(expected)} "
              f"participants; lost {lost}, doubled {doubled}, stray {stray}")
        ok = (lost == 0 and doubled == 0 and stray == 0 and floor.errors == floor_1.errors == 0
              and set(outcomes) <= {"new", "again"})
        for label, group in (("minute", minute), ("burst", burst)):
            p95 = pct(ms(group, "get_ms") + ms(group, "post_ms"), 95)
            print(f"  {label}: p95 of all check-in requests {p95:.1f} ms, target 200 ms: "
                  f"{'under' if p95 < 200 else 'OVER'}")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
