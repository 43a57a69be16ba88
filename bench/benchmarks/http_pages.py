"""Pages served by gunicorn on PostgreSQL, compared with a bare Django view.

Targets, all in one run against one server:
  bare            /bench/bare/  HttpResponse("ok") behind the full middleware stack
  jadwal          /jadwal/      public schedule: django-tables2 table of the 50 batches
  home-organiser  /             logged in as "penyelenggara" (organiser home page)
  home-anonymous  /             public landing page
"""

from __future__ import annotations

import sys

from bench.harness import Context, Target, check_body, http_get, load, login, merge

NAME = "http_pages"
DESCRIPTION = "req/s and p50/p95/p99 latency of /jadwal/ and / against a bare Django view"
TARGETS = ("bare", "jadwal", "home-organiser", "home-anonymous")
BASELINE = "bare"

ORGANISER = ("penyelenggara", "kompeten2019")  # demo account from load_demo


def targets(session_cookie: str) -> list[Target]:
    return [
        Target("bare", "/bench/bare/", "bare Django view, same middleware stack",
               expect=b"ok"),
        Target("jadwal", "/jadwal/", "schedule page, 50 batches (anonymous)",
               expect_count=(b"Pelatihan Teknis Kepegawaian dan Sertifikasi Akt ", 50)),
        Target("home-organiser", "/", "home page logged in as organiser",
               headers={"Cookie": session_cookie}, expect=b"Beranda penyelenggara"),
        Target("home-anonymous", "/", "public home page (anonymous)",
               expect=b"Lihat jadwal angkatan", reject=b"Beranda penyelenggara"),
    ]


def run(ctx: Context, args) -> list:
    port = ctx.server.port
    cookie = login(port, *ORGANISER)
    selected = [t for t in targets(cookie) if t.name == BASELINE or t.name in args.targets]

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
        print(f"  {target.name:<15} {target.path:<13} warm-up {args.warmup}", file=sys.stderr)
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
