"""QR check-in under load: python bench/checkin.py [--concurrency C] [--keep-db]

180 participants of 6 batches check in to their session within the same minute against
gunicorn + PostgreSQL, each as a phone would: open the address the QR code encodes (the
confirmation page), then tap "Saya hadir" (POST). A third of them tap twice. Printed: the
latencies of both requests next to the bare-view floor measured in the same run at the same
concurrency, and the marks in the database (none lost, none doubled). Printed figures, not a
timed test. Only loopback is contacted; the database (kompeten_attendance by default) is
dropped and recreated.
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

BATCHES = 6
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


def check_in(port: int, phone: Phone, path: str, taps: int) -> None:
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
        paths = {}
        for session in sorted({p.session for p in phones}):
            status, _headers, body = http_get(port, f"/kelas/sesi/{session}/layar/qr/",
                                              {"Cookie": organiser})
            url = re.search(rb'id="checkin-url">([^<]+)<', body)
            if status != 200 or url is None:
                raise SystemExit(f"QR fragment of session {session}: HTTP {status}")
            paths[session] = urllib.parse.urlsplit(url.group(1).decode().strip()).path
        bare = Target("bare", "/bench/bare/", "HttpResponse('ok')", expect=b"ok")
        load(port, bare, 200, args.concurrency, 60, record=False)  # warm-up
        floor = load(port, bare, 2 * len(phones), args.concurrency, 60, ctx.server)

        rng.shuffle(phones)
        doubles = {id(p) for p in rng.sample(phones, len(phones) // 3)}
        queue = list(phones)
        lock = threading.Lock()

        def worker() -> None:
            while True:
                with lock:
                    if not queue:
                        return
                    phone = queue.pop()
                check_in(port, phone, paths[phone.session], 2 if id(phone) in doubles else 1)

        started = time.perf_counter()
        cpu0 = ctx.server.cpu_seconds()
        threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
        server_cpu = ctx.server.cpu_seconds() - cpu0

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
        get_ms = [ms for p in phones for ms in p.get_ms]
        post_ms = [ms for p in phones for ms in p.post_ms]

        print("QR check-in benchmark (bench/checkin.py)")
        for key, value in ctx.facts.items():
            print(f"  {key}: {value}")
        print(f"  background load before the run: {busy:.2f} cores busy")
        print(f"  phones: {len(phones)} ({BATCHES} batches x {PER_BATCH}), "
              f"{len(doubles)} tap twice; concurrency {args.concurrency}")
        print(f"  all check-ins done in {wall:.2f}s (within one minute: {wall < 60}), "
              f"server CPU {server_cpu:.1f}s")
        print(f"\n  {'request':<28}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
        lines = [("bare view (floor)", [ms * 1000 for ms in floor.latencies]),
                 ("GET check-in page", get_ms), ("POST check-in (tap)", post_ms)]
        for label, values in lines:
            print(f"  {label:<28}{len(values):>6}{pct(values, 50):>9.1f}{pct(values, 95):>9.1f}"
                  f"{pct(values, 99):>9.1f}{max(values):>9.1f}")
        print(f"\n  outcomes: {dict(sorted(outcomes.items()))}")
        print(f"  marks in the database: {sum(recorded.values())} for {len(expected)} "
              f"participants; lost {lost}, doubled {doubled}, stray {stray}")
        ok = (lost == 0 and doubled == 0 and stray == 0 and floor.errors == 0
              and set(outcomes) <= {"new", "again"})
        p95 = pct(post_ms, 95)
        print(f"  p95 POST {p95:.1f} ms vs target 200 ms: "
              f"{'under' if p95 < 200 else 'OVER'}; floor p95 {floor.percentile(95):.1f} ms")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
