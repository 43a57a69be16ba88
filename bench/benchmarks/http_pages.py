"""Pages served by gunicorn on PostgreSQL, compared with a bare Django view.

Targets, all in one run against one server. Public pages (anonymous):
  bare            /bench/bare/            HttpResponse("ok") behind the full middleware stack
  jadwal          /jadwal/                public schedule of the current programme's 50 batches
  ics             /jadwal/<code>.ics      its iCalendar feed (50 events)
  announcement    /penempatan/pengumuman/<code>/  the published class lists
  home-anonymous  /                       public landing page
Logged-in list pages:
  home-organiser  /                       logged in as "penyelenggara" (organiser home page)
  home-operator   /                       logged in as "operator" (an agency's operator)
  nominations     /usulan/                the organiser's nomination list
  batches         /penempatan/            the organiser's batch overview

Before measuring, the current programme's placed demo participants get their groups and
the class lists are published (so the announcement page has lists to show).
"""

from __future__ import annotations

import subprocess
import sys

from bench.harness import REPO, Context, Target, check_body, http_get, load, login, merge

NAME = "http_pages"
DESCRIPTION = "req/s and p50/p95/p99 latency of public and logged-in pages against a bare view"
TARGETS = ("bare", "jadwal", "ics", "announcement", "home-anonymous", "home-organiser",
           "home-operator", "nominations", "batches")
BASELINE = "bare"

ORGANISER = ("penyelenggara", "kompeten2019")  # demo accounts from load_demo
OPERATOR = ("operator", "kompeten2019")

PUBLISH = """
from kompeten.accounts.models import User
from kompeten.classroom.models import Publication
from kompeten.classroom.publication import publish
from kompeten.programs.selectors import current_program
from kompeten.rumpun.topics import propose_groups
program = current_program()
if not Publication.objects.filter(program=program).exists():
    propose_groups(program=program)
    publish(program=program, by=User.objects.get(username="penyelenggara"))
print(program.code)
"""


def publish_current(ctx: Context) -> str:
    """Publish the current programme's class lists in the served database; its code."""
    env = {**ctx.server.env, "DJANGO_SETTINGS_MODULE": "kompeten.settings"}
    proc = subprocess.run([sys.executable, str(REPO / "manage.py"), "shell", "-c", PUBLISH],
                          env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        raise RuntimeError(f"publishing the class lists failed:\n{proc.stdout}{proc.stderr}")
    return proc.stdout.strip().splitlines()[-1]


def targets(session_cookie: str, operator_cookie: str = "", code: str = "") -> list[Target]:
    return [
        Target("bare", "/bench/bare/", "bare Django view, same middleware stack",
               expect=b"ok"),
        Target("jadwal", "/jadwal/", "schedule page, 50 batches (anonymous)",
               expect_count=(b"Pelatihan Teknis Kepegawaian dan Sertifikasi Akt ", 50)),
        Target("home-organiser", "/", "home page logged in as organiser",
               headers={"Cookie": session_cookie}, expect=b"Beranda penyelenggara"),
        Target("ics", f"/jadwal/{code}.ics", "iCalendar feed of the schedule (anonymous)",
               expect_count=(b"BEGIN:VEVENT", 50)),
        Target("announcement", f"/penempatan/pengumuman/{code}/",
               "published class lists (anonymous)",
               expect=b"Pengumuman peserta dan rumpun", reject=b"Beranda penyelenggara"),
        Target("home-anonymous", "/", "public home page (anonymous)",
               expect=b"Lihat jadwal angkatan", reject=b"Beranda penyelenggara"),
        Target("home-operator", "/", "home page logged in as an agency's operator",
               headers={"Cookie": operator_cookie}, expect=b"Beranda operator instansi"),
        Target("nominations", "/usulan/", "nomination list (organiser)",
               headers={"Cookie": session_cookie}, expect=b"Usulan peserta"),
        Target("batches", "/penempatan/", "batch overview (organiser)",
               headers={"Cookie": session_cookie}, expect=b"Penempatan angkatan"),
    ]


def run(ctx: Context, args) -> list:
    port = ctx.server.port
    code = publish_current(ctx)
    cookie = login(port, *ORGANISER)
    operator = login(port, *OPERATOR)
    selected = [t for t in targets(cookie, operator, code)
                if t.name == BASELINE or t.name in args.targets]

    # One request each first: fail fast, before any load, if a page is not what it
    # should be (wrong status, not the organiser home, not 50 batches...).
    for target in selected:
        status, _, body = http_get(port, target.path, target.headers)
        problem = check_body(target, body) if status == 200 else f"HTTP {status}"
        if problem:
            raise RuntimeError(f"{target.name} ({target.path}): {problem}")

    # Rounds interleave the targets (bare, jadwal, ..., bare, jadwal, ...) so that a
    # change in background load during the run hits every target alike.
    rounds = max(1, min(args.rounds, args.requests))
    share = [args.requests // rounds + (i < args.requests % rounds) for i in range(rounds)]
    for target in selected:
        print(f"  {target.name:<15} {target.path:<28} warm-up {args.warmup}", file=sys.stderr)
        load(port, target, args.warmup, args.concurrency, args.max_seconds, record=False)
    parts: dict[str, list] = {t.name: [] for t in selected}
    for i, n in enumerate(share, 1):
        print(f"  round {i}/{rounds}: {n} requests per target, {args.concurrency} threads",
              file=sys.stderr)
        for target in selected:
            spent = sum(p.seconds for p in parts[target.name])
            if spent >= args.max_seconds:
                parts[target.name][-1].timed_out = True
                continue
            parts[target.name].append(load(port, target, n, args.concurrency,
                                           args.max_seconds - spent, server=ctx.server))
    return [merge(parts[t.name]) for t in selected]
