"""Benchmark runner: python bench/run.py [--requests N] [--concurrency C] [--only NAME]

Creates a fresh PostgreSQL database, loads the demo programme, serves the app with
gunicorn on 127.0.0.1 and runs the benchmarks in bench/benchmarks/ against it.
See bench/README.md.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV_PYTHON = REPO / ".venv" / "bin" / "python"

# Use the project's virtualenv (Django, gunicorn, psycopg) whichever python started us.
if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != (REPO / ".venv").resolve():
    os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), *sys.argv])
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import argparse  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import pkgutil  # noqa: E402
import time  # noqa: E402

import bench.benchmarks  # noqa: E402
from bench.harness import Result, ServedApp, background_busy  # noqa: E402


def discover() -> dict[str, object]:
    modules = {}
    for info in pkgutil.iter_modules(bench.benchmarks.__path__):
        module = importlib.import_module(f"bench.benchmarks.{info.name}")
        if hasattr(module, "run"):
            modules[module.NAME] = module
    return modules


def parse_args(benchmarks: dict[str, object]) -> argparse.Namespace:
    all_targets = [t for m in benchmarks.values() for t in m.TARGETS]
    parser = argparse.ArgumentParser(
        description="Serve Kompeten with gunicorn on PostgreSQL and measure it.",
        epilog="benchmarks: " + "; ".join(f"{n} ({', '.join(m.TARGETS)})"
                                          for n, m in benchmarks.items()))
    parser.add_argument("--requests", "-n", type=int, default=2000,
                        help="measured requests per target (default 2000)")
    parser.add_argument("--concurrency", "-c", type=int, default=8,
                        help="concurrent keep-alive client threads (default 8)")
    parser.add_argument("--warmup", type=int, default=200,
                        help="unmeasured requests per target first (default 200)")
    parser.add_argument("--rounds", type=int, default=4,
                        help="split each target's requests into this many rounds, the targets "
                             "interleaved (default 4)")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="run only this benchmark or target (repeatable, or comma-"
                             "separated); the bare baseline always runs")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--worker-class", default="gthread", choices=["gthread", "sync"],
                        help="gunicorn worker class (default gthread: keep-alive)")
    parser.add_argument("--threads", type=int, default=4,
                        help="threads per gthread worker (default 4)")
    parser.add_argument("--conn-max-age", type=int,
                        default=int(os.getenv("DATABASE_CONN_MAX_AGE", "60")),
                        help="DATABASE_CONN_MAX_AGE for the server (default: the project's, "
                             "0 = a new PostgreSQL connection per request)")
    parser.add_argument("--max-seconds", type=float, default=600,
                        help="time limit per target; a target stops early past it and the "
                             "run is marked failed (default 600)")
    parser.add_argument("--db-name", default="kompeten_bench",
                        help="database to drop and create on 127.0.0.1 (default kompeten_bench)")
    parser.add_argument("--port", type=int, default=None,
                        help="port for gunicorn on 127.0.0.1 (default: a free one)")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database after")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    args = parser.parse_args()
    if not 1 <= args.requests <= 1_000_000 or not 1 <= args.concurrency <= 256:
        parser.error("--requests must be 1..1000000 and --concurrency 1..256")
    if not 0 <= args.warmup <= 100_000 or not 0 < args.max_seconds <= 3600:
        parser.error("--warmup must be 0..100000 and --max-seconds 0..3600")
    only = {name for item in args.only for name in item.split(",") if name}
    unknown = only - set(benchmarks) - set(all_targets)
    if unknown:
        parser.error(f"unknown --only {sorted(unknown)}; known: {sorted(benchmarks)} "
                     f"and targets {all_targets}")
    args.selected = {}
    for name, module in benchmarks.items():
        targets = set(module.TARGETS) if (not only or name in only) else only & set(module.TARGETS)
        if targets:
            args.selected[name] = targets
    return args


def table(results: list[Result], baseline: Result | None) -> str:
    head = ["target", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms",
            "req/s vs bare", "p50 vs bare", "server CPU", "client CPU", "all CPU"]
    rows = []
    for r in results:
        d = r.as_dict(baseline)
        rows.append([
            r.target.name, str(r.requests), str(r.errors), f"{r.rps:.0f}",
            f"{r.percentile(50):.2f}", f"{r.percentile(95):.2f}", f"{r.percentile(99):.2f}",
            f"{d['rps_ratio_vs_bare']:.3f}" if "rps_ratio_vs_bare" in d else "-",
            f"{d['p50_ratio_vs_bare']:.1f}x" if "p50_ratio_vs_bare" in d else "-",
            f"{100 * r.server_cpu / r.seconds:.0f}%" if r.seconds else "-",
            f"{100 * r.client_cpu / r.seconds:.0f}%" if r.seconds else "-",
            f"{100 * r.machine_cpu / r.seconds:.0f}%" if r.seconds else "-",
        ])
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]

    def line(cells):
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True)))

    return "\n".join([line(head), line(["-" * w for w in widths]), *map(line, rows)])


def main() -> int:
    benchmarks = discover()
    args = parse_args(benchmarks)
    started = time.perf_counter()
    report = {"benchmarks": {}}
    failed = False
    background = background_busy()
    load_avg = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    with ServedApp(db_name=args.db_name, workers=args.workers,
                   worker_class=args.worker_class, threads=args.threads,
                   conn_max_age=args.conn_max_age, keep_db=args.keep_db,
                   port=args.port) as ctx:
        facts = {**ctx.facts,
                 "client": f"{args.concurrency} keep-alive http.client threads in one process "
                           f"on the same machine; {args.warmup} warm-up + {args.requests} "
                           f"measured requests per target in {args.rounds} interleaved rounds",
                 "background": f"{100 * background:.0f}% of one core busy in the 2s before "
                               f"the run (other processes); load average {load_avg}"}
        report["environment"] = facts
        print("Environment")
        for key, value in facts.items():
            print(f"  {key:<14} {value}")
        for name, targets in args.selected.items():
            module = benchmarks[name]
            args.targets = targets
            print(f"\n{name}: {module.DESCRIPTION}", file=sys.stderr)
            results = module.run(ctx, args)
            baseline = next((r for r in results if r.target.name == module.BASELINE), None)
            print(f"\n{name}")
            print(table(results, baseline))
            report["benchmarks"][name] = [r.as_dict(baseline) for r in results]
            for r in results:
                if r.errors or r.timed_out or r.requests != args.requests:
                    failed = True
                    print(f"  ! {r.target.name}: {r.errors} errors "
                          f"(status {r.status_counts}, {r.bad_bodies} unexpected bodies, "
                          f"{r.exceptions} exceptions), {r.requests}/{args.requests} sent"
                          f"{', time limit reached' if r.timed_out else ''}")
    elapsed = time.perf_counter() - started
    background_after = background_busy()
    report["environment"]["background_after"] = f"{100 * background_after:.0f}%"
    report["runtime_s"] = round(elapsed, 1)
    print(f"\nCPU columns: busy time during the measured requests as a share of one core "
          f"({facts['cpus']} cores = {100 * int(facts['cpus'])}%): gunicorn (master + workers), "
          f"this client, and the whole machine (also PostgreSQL, the kernel and any other "
          f"work: background was {100 * background:.0f}% before and "
          f"{100 * background_after:.0f}% after the run).")
    if max(background, background_after) > 0.25:
        print("WARNING: other processes kept the machine busy around this run; the figures "
              "understate the app's speed and are noisy (the ratios less so). Re-run on a "
              "quiet machine.")
    print(f"Total runtime {elapsed:.0f}s{'; FAILED: see ! lines above' if failed else ''}.")
    if args.json:
        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, indent=2) + "\n")
        print(f"Results written to {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
