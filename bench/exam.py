"""The written test under load: N simulated examinees against gunicorn + PostgreSQL.

    .venv/bin/python bench/exam.py --examinees 200 1000 --duration 60
    .venv/bin/python bench/exam.py --examinees 1000 --duration 60 --kill-worker
    .venv/bin/python bench/exam.py --help

Per N, a fresh database (`kompeten_exam_bench`, dropped at the end), migrate + load_demo,
N accepted Pengawas participants placed in one batch with logged-in sessions (written
straight to the session table: N logins through the form would only measure PBKDF2), the
demo question bank and an open session. Then gunicorn (2 gthread workers x 4 threads, as
bench/run.py) and, for --duration seconds, N asyncio examinees (httpx, one shared pool of
keep-alive connections as behind a proxy): first every examinee starts an attempt with
the token (POST /uji/mulai/, GET the test page; timed apart as "start"), then for
--duration seconds each answers a question every 10-30 s divided by --timescale,
re-answers an earlier one 20 % of the time, replays its last save 5 % of the time, and
goes offline 5 % of the time for 5-15 s (answers queue as in the page's script and are
re-sent on reconnect). A probe GETs the bare view (/bench/bare/) every 0.5 s in the same
run: the floor.

Afterwards every acknowledged answer (status saved, or stale with the server's seq at
least its own) is looked up in the database: the slot's stored seq must be at least the
highest acknowledged one, and equal seq must hold the same choice. Printed per N: save
p50/p95/p99, errors (HTTP/network errors, then retried, as the page does), acknowledged
vs found, lost, and the bare floor. --kill-worker SIGKILLs one gunicorn worker halfway.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import re
import secrets
import signal
import sys
import time
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if Path(sys.executable).resolve() != (REPO / ".venv" / "bin" / "python").resolve() and (
        REPO / ".venv" / "bin" / "python").exists() and "VIRTUAL_ENV" not in os.environ:
    os.execv(str(REPO / ".venv" / "bin" / "python"), [str(REPO / ".venv" / "bin" / "python"),
                                                      *sys.argv])
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402

from bench.harness import HOST, ServedApp, _children, machine_busy_seconds  # noqa: E402

SLOT = re.compile(r'data-slot="(\d+)" data-seq="(\d+)" data-kind="(mc|essay)"')
OPTION = re.compile(r'id="option-(\d+)-(\d+)"')


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))]


# --------------------------------------------------------------------------- setup


def prepare(examinees: int) -> tuple[str, list[tuple[str, str]]]:
    """In the benchmark database: N placed participants with sessions, an open session.
    Returns (token, [(sessionid, csrf secret)])."""
    import django

    django.setup()
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import transaction
    from django.utils import timezone

    from kompeten.accounts.models import Role, User
    from kompeten.batching.models import Placement
    from kompeten.exam import services
    from kompeten.exam.models import ExamPolicy
    from kompeten.programs.models import Agency, Batch, Level
    from kompeten.programs.selectors import current_program, qualification_for
    from kompeten.registration.models import Registration

    program = current_program()
    level = Level.objects.get(code="pengawas")
    agency = Agency.objects.get(code="PROV-12")
    qualification = qualification_for(program=program, level=level, agency=agency)
    ExamPolicy.objects.update_or_create(program=program, defaults={
        "minutes": 120, "mc_per_unit": 3, "essays_per_unit": 1})
    start = timezone.localdate()
    with transaction.atomic():
        batch = Batch.objects.create(program=program, number=900, level=level,
                                     start_date=start, end_date=start, capacity=examinees)
        users = User.objects.bulk_create([
            User(username=f"bench{n:05d}", role=Role.PARTICIPANT, password="!",
                 first_name=f"Peserta {n}") for n in range(examinees)])
        registrations = Registration.objects.bulk_create([
            Registration(program=program, agency=agency, level=level, seat=1000 + n,
                         status="accepted", qualification=qualification,
                         nip=f"19800101{2000 + n // 1000:04d}01{1 + n % 2}{n % 1000:03d}",
                         birth_date="1980-01-01", gender="L", full_name=f"Peserta Bench {n}",
                         plain_name=f"Peserta Bench {n}", position="Kepala Seksi",
                         email=f"bench{n}@instansi.example", user=user)
            for n, user in enumerate(users)])
        Placement.objects.bulk_create([Placement(registration=r, batch=batch, seat=n + 1)
                                       for n, r in enumerate(registrations)])
        cookies = []
        rows = []
        for user in users:
            store = SessionStore()
            key = store._get_new_session_key()
            data = {"_auth_user_id": str(user.pk),
                    "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                    "_auth_user_hash": user.get_session_auth_hash()}
            rows.append(Session(session_key=key, session_data=store.encode(data),
                                expire_date=timezone.now() + dt.timedelta(days=1)))
            cookies.append((key, secrets.token_hex(16)))
        Session.objects.bulk_create(rows)
        organiser = User.objects.get(username="penyelenggara")
        session = services.create_session(batch=batch, by=organiser)
        services.open_session(session=session, by=organiser)
    return session.token, cookies


def verify(acked: dict[int, tuple[int, int | None, str | None]]) -> tuple[int, int, list]:
    """(acknowledged, found, examples of lost) against the database."""
    from kompeten.exam.models import AttemptItem

    stored = {pk: (seq, choice, text) for pk, seq, choice, text in AttemptItem.objects.filter(
        pk__in=list(acked)).values_list("pk", "seq", "choice_id", "text")}
    found, lost = 0, []
    for pk, (seq, choice, text) in acked.items():
        got = stored.get(pk)
        ok = got is not None and (got[0] > seq or (got[0] == seq and (
            got[1] == choice if text is None else got[2] == text)))
        if ok:
            found += 1
        else:
            lost.append((pk, seq, got))
    return len(acked), found, lost[:5]


# --------------------------------------------------------------------------- load


@dataclass
class Stats:
    save_ms: list[float] = field(default_factory=list)
    bare_ms: list[float] = field(default_factory=list)
    start_ms: list[float] = field(default_factory=list)
    errors: int = 0
    refused: dict[str, int] = field(default_factory=dict)
    saves: int = 0
    stale: int = 0
    replays: int = 0
    reconnects: int = 0
    started: int = 0
    cpu0: float = 0.0
    cpu1: float = 0.0
    busy0: float = 0.0
    busy1: float = 0.0
    # slot -> (highest acknowledged seq, choice, text)
    acked: dict[int, tuple[int, int | None, str | None]] = field(default_factory=dict)


class Examinee:
    def __init__(self, n: int, cookie: tuple[str, str], args, stats: Stats, token: str):
        self.n, self.stats, self.args, self.token = n, stats, args, token
        sessionid, csrf = cookie
        self.headers = {"Cookie": f"sessionid={sessionid}; csrftoken={csrf}",
                        "X-CSRFToken": csrf}
        self.rng = random.Random(n)
        self.seq = 0
        self.slots: list[tuple[int, str, list[int]]] = []
        self.pending: dict[int, tuple[int, dict]] = {}
        self.answered: list[int] = []
        self.save_url = ""

    async def request(self, client, method, url, **kwargs):
        while True:
            try:
                return await client.request(method, url, headers=self.headers, **kwargs)
            except httpx.HTTPError:
                self.stats.errors += 1
                await asyncio.sleep(1)

    async def start(self, client) -> bool:
        t0 = time.perf_counter()
        response = await self.request(client, "POST", "/uji/mulai/", data={"token": self.token})
        if response.status_code != 302 or "/uji/percobaan/" not in response.headers.get(
                "location", ""):
            key = f"start {response.status_code}"
            self.stats.refused[key] = self.stats.refused.get(key, 0) + 1
            return False
        take = response.headers["location"]
        page = await self.request(client, "GET", take)
        self.stats.start_ms.append((time.perf_counter() - t0) * 1000)
        if page.status_code != 200:
            self.stats.errors += 1
            return False
        html = page.text
        options: dict[int, list[int]] = {}
        for slot, option in OPTION.findall(html):
            options.setdefault(int(slot), []).append(int(option))
        self.slots = [(int(s), kind, options.get(int(s), [])) for s, _q, kind in SLOT.findall(html)]
        self.save_url = take + "jawab/"
        self.stats.started += 1
        return bool(self.slots)

    def answer(self) -> tuple[int, dict]:
        """The next unanswered question, or (20 %) a change to an earlier one."""
        if self.answered and (self.rng.random() < 0.2 or len(self.answered) == len(self.slots)):
            index = self.rng.choice(self.answered)
        else:
            index = len(self.answered)
            self.answered.append(index)
        slot, kind, options = self.slots[index]
        self.seq += 1
        if kind == "mc":
            return slot, {"slot": slot, "seq": self.seq, "kind": "choice",
                          "choice": self.rng.choice(options)}
        return slot, {"slot": slot, "seq": self.seq, "kind": "text",
                      "text": f"Jawaban {self.n}-{self.seq}: analisis jabatan dan beban kerja."}

    async def send(self, client, slot: int, data: dict) -> None:
        t0 = time.perf_counter()
        while True:
            response = await self.request(client, "POST", self.save_url, data=data)
            if response.status_code == 200:
                break
            self.stats.errors += 1  # e.g. a 502 while a worker restarts: sent again
            await asyncio.sleep(1)
        self.stats.save_ms.append((time.perf_counter() - t0) * 1000)
        body = response.json()
        status = body["status"]
        if status in ("saved", "stale") and body["seq"] >= data["seq"]:
            self.stats.saves += status == "saved"
            self.stats.stale += status == "stale"
            best = self.stats.acked.get(slot)
            if best is None or data["seq"] > best[0]:
                self.stats.acked[slot] = (data["seq"], data.get("choice"), data.get("text"))
            if slot in self.pending and self.pending[slot][0] <= data["seq"]:
                del self.pending[slot]
        else:
            self.stats.refused[status] = self.stats.refused.get(status, 0) + 1

    async def run(self, client, until: float, timescale: float) -> None:
        if not self.slots:
            return
        offline_until = 0.0
        last: tuple[int, dict] | None = None
        # The first answer comes 0-30 s in, so saves spread evenly from the start.
        await asyncio.sleep(self.rng.uniform(0, 30) / timescale)
        while time.monotonic() < until:
            now = time.monotonic()
            if now >= offline_until and self.rng.random() < 0.05:
                offline_until = now + self.rng.uniform(5, 15) / timescale
            if last is not None and self.rng.random() < 0.05:
                self.stats.replays += 1
                await self.send(client, *last)  # a replayed request: nothing changes
            else:
                slot, data = self.answer()
                self.pending[slot] = (data["seq"], data)
                last = (slot, data)
                if now >= offline_until:  # offline: kept as in the page's localStorage
                    if len(self.pending) > 1:
                        self.stats.reconnects += 1
                    for pending_slot, (_seq, pending_data) in list(self.pending.items()):
                        await self.send(client, pending_slot, pending_data)
            await asyncio.sleep(self.rng.uniform(10, 30) / timescale)


async def probe(client, until: float, stats: Stats) -> None:
    while time.monotonic() < until:
        t0 = time.perf_counter()
        try:
            response = await client.get("/bench/bare/")
            if response.status_code == 200:
                stats.bare_ms.append((time.perf_counter() - t0) * 1000)
        except httpx.HTTPError:
            pass
        await asyncio.sleep(0.5)


async def kill_one_worker(server, at: float, log: list[str]) -> None:
    await asyncio.sleep(at)
    workers = _children(server.proc.pid)
    if workers:
        os.kill(workers[0], signal.SIGKILL)
        log.append(f"killed gunicorn worker {workers[0]} at {at:.0f}s")


async def simulate(port: int, cookies, token: str, args, server) -> tuple[Stats, float, list]:
    stats = Stats()
    log: list[str] = []
    limits = httpx.Limits(max_connections=args.connections,
                          max_keepalive_connections=args.connections)
    no_cookies = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
    async with httpx.AsyncClient(base_url=f"http://{HOST}:{port}", limits=limits,
                                 timeout=httpx.Timeout(60.0), cookies=no_cookies) as client:
        examinees = [Examinee(n, cookie, args, stats, token) for n, cookie in enumerate(cookies)]
        # Phase 1: everyone starts (token, then the test page), at most --connections at once.
        gate = asyncio.Semaphore(args.connections)

        async def start(examinee):
            async with gate:
                await examinee.start(client)

        t_start = time.monotonic()
        await asyncio.gather(*(start(e) for e in examinees))
        start_wall = time.monotonic() - t_start
        # Phase 2: answering, with the bare probe (and the killed worker) alongside.
        stats.cpu0, stats.busy0 = server.cpu_seconds(), machine_busy_seconds()
        t0 = time.monotonic()
        until = t0 + args.duration
        tasks = [asyncio.create_task(e.run(client, until, args.timescale)) for e in examinees]
        tasks.append(asyncio.create_task(probe(client, until, stats)))
        if args.kill_worker:
            tasks.append(asyncio.create_task(kill_one_worker(server, args.duration / 2, log)))
        await asyncio.gather(*tasks)
        wall = time.monotonic() - t0
        stats.cpu1, stats.busy1 = server.cpu_seconds(), machine_busy_seconds()
        # What is still queued (offline at the end) is sent before the count.
        for examinee in examinees:
            for slot, (_seq, data) in list(examinee.pending.items()):
                await examinee.send(client, slot, data)
        log.append(f"start phase {start_wall:.0f}s")
        return stats, wall, log


# One key for every server of this run: the sessions are signed in this process, whose
# settings are loaded once.
SECRET_KEY = secrets.token_urlsafe(50)


class ExamApp(ServedApp):
    def env(self) -> dict[str, str]:
        return {**super().env(), "SECRET_KEY": SECRET_KEY}


def run_one(examinees: int, args) -> dict:
    app = ExamApp(db_name="kompeten_exam_bench", workers=args.workers,
                    worker_class="gthread", threads=args.threads, conn_max_age=60)
    with app as ctx:
        # The server's own settings (its SECRET_KEY signs the sessions written here).
        os.environ.update({k: v for k, v in ctx.server.env.items() if k in (
            "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DATABASE_CONN_MAX_AGE", "SECRET_KEY",
            "KOMPETEN_VAR_DIR")})
        t0 = time.perf_counter()
        token, cookies = prepare(examinees)
        setup_s = time.perf_counter() - t0
        stats, wall, log = asyncio.run(simulate(ctx.server.port, cookies, token, args,
                                                ctx.server))
        # The answering phase only (a killed worker's CPU time is lost from the sum).
        busy, cpu = stats.busy1 - stats.busy0, stats.cpu1 - stats.cpu0
        requests = len(stats.save_ms) + len(stats.bare_ms)
        from django.db import connections

        acknowledged, found, lost = verify(stats.acked)
        connections.close_all()
        return {"N": examinees, "started": stats.started, "saves": len(stats.save_ms),
                "p50": percentile(stats.save_ms, 50), "p95": percentile(stats.save_ms, 95),
                "p99": percentile(stats.save_ms, 99), "rate": len(stats.save_ms) / wall,
                "errors": stats.errors, "refused": stats.refused, "stale": stats.stale,
                "replays": stats.replays, "reconnects": stats.reconnects,
                "acknowledged": acknowledged, "found": found, "lost": lost,
                "bare50": percentile(stats.bare_ms, 50), "bare95": percentile(stats.bare_ms, 95),
                "start50": percentile(stats.start_ms, 50),
                "start95": percentile(stats.start_ms, 95),
                "server_cpu": cpu, "machine_busy": busy,
                "cpu_ms": 1000 * cpu / requests if requests else float("nan"),
                "wall": wall, "setup": setup_s,
                "log": log, "facts": ctx.facts}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examinees", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load per N")
    parser.add_argument("--timescale", type=float, default=1.0,
                        help="divide the 10-30 s between answers (and offline spells) by this")
    parser.add_argument("--kill-worker", action="store_true",
                        help="SIGKILL one gunicorn worker halfway through")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--connections", type=int, default=64,
                        help="keep-alive connections in the client pool (a proxy's upstream)")
    args = parser.parse_args()
    results = [run_one(n, args) for n in args.examinees]
    facts = results[0]["facts"]
    for key in ("python", "cpus", "Django", "postgresql", "server"):
        print(f"{key:>12}: {facts[key]}")
    print(f"{'load':>12}: {args.duration:.0f}s per N, answer every 10-30 s / {args.timescale:g}"
          f"{', one worker killed halfway' if args.kill_worker else ''}")
    print()
    header = (f"{'N':>6} {'started':>7} {'saves':>6} {'saves/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
              f"{'p99 ms':>7} {'errors':>6} {'acked':>6} {'found':>6} {'lost':>4} "
              f"{'bare p50':>8} {'bare p95':>8} {'p95/bare':>8} {'start p95':>9} "
              f"{'cpu ms/req':>10}")
    print(header)
    for r in results:
        ratio = r["p95"] / r["bare95"] if r["bare95"] == r["bare95"] and r["bare95"] else 0
        print(f"{r['N']:>6} {r['started']:>7} {r['saves']:>6} {r['rate']:>7.1f} {r['p50']:>7.1f} "
              f"{r['p95']:>7.1f} {r['p99']:>7.1f} {r['errors']:>6} {r['acknowledged']:>6} "
              f"{r['found']:>6} {len(r['lost']):>4} {r['bare50']:>8.1f} {r['bare95']:>8.1f} "
              f"{ratio:>8.1f} {r['start95']:>9.0f} {r['cpu_ms']:>10.1f}")
    for r in results:
        notes = [f"stale/replayed acks {r['stale']}", f"replays {r['replays']}",
                 f"offline re-sends {r['reconnects']}",
                 f"server {r['server_cpu']:.1f} cpu-s, machine busy {r['machine_busy']:.0f} "
                 f"cpu-s in the {r['wall']:.0f}s of answering",
                 f"setup {r['setup']:.0f}s"]
        if r["refused"]:
            notes.append(f"refused {r['refused']}")
        notes.extend(r["log"])
        if r["lost"]:
            notes.append(f"LOST e.g. {r['lost']}")
        print(f"N={r['N']}: " + "; ".join(notes))
    return 1 if any(r["lost"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
