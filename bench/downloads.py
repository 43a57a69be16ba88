"""Material downloads under load: python bench/downloads.py [--downloads N] [--megabytes M]

200 participants' downloads of one 20 MB PDF material at the same moment against gunicorn
(2 gthread workers x 4 threads) + PostgreSQL: does the server's memory stay flat? The file is
streamed (FileResponse, sendfile through gunicorn's wsgi.file_wrapper), so a worker should
never hold a whole file, let alone 200 of them.

Setup (fresh database, migrate + load_demo): a valid one-page PDF padded to 20,000,000 bytes
(a content stream of comment lines; it passes kompeten/common/filechecks.py) is added as a
material of the demo participant's first module through kompeten.elearning.services. The
client logs in as the demo participant `peserta`, then:

  bare       N concurrent GETs of /bench/bare/ (HttpResponse("ok")): the memory baseline
  downloads  N concurrent GETs of the material, one thread and connection each, every body
             read in full (in 1 MB chunks, counted, not kept) and its size checked

During each phase a sampler reads VmRSS of every gunicorn worker (the master's children)
from /proc/<pid>/status every 20 ms. Printed: bytes, time, throughput, p50/p95 latency, and
per worker RSS before, peak during bare, peak during downloads, VmHWM at the end. Printed
figures, not a timed test. Only loopback is contacted; the database (kompeten_learn2 by
default) is dropped and recreated, and dropped again at the end with gunicorn stopped.
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
import re  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

from bench.harness import (  # noqa: E402
    HOST,
    Database,
    ServedApp,
    _children,
    background_busy,
    http_get,
    login,
    require_loopback,
)

# Run inside `manage.py shell` with the server's settings (same database and var dir).
SETUP = r"""
from django.core.files.uploadedfile import SimpleUploadedFile
from kompeten.accounts.models import User
from kompeten.elearning import selectors, services
from kompeten.programs.selectors import current_program

SIZE = __SIZE__
head = b"BT /F1 24 Tf 72 770 Td (Materi uji unduhan) Tj ET\n"
line = b"%" + b"0123456789abcdef" * 4 + b"\n"
def pdf(padding: int) -> bytes:
    content = head + line * (padding // len(line))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)
small = pdf(0)
data = pdf(SIZE - len(small))
data = pdf(SIZE - len(small) - (len(data) - SIZE))  # the padding in whole lines
user = User.objects.get(username="peserta")
placement = selectors.placement_of(user=user, program=current_program())
module = selectors.modules_of(placement.batch).first()
material = services.add_material(module=module, title="Materi uji unduhan 20 MB", kind="file",
                                 by=User.objects.get(username="penyelenggara"),
                                 upload=SimpleUploadedFile("materi-20mb.pdf", data,
                                                           "application/pdf"))
version = material.versions.get()
print("SETUP", version.pk, version.stored.size)
"""


class OwnDatabase(Database):
    """The helper's own PostgreSQL database (the brief's name) or a *bench* one."""

    def __post_init__(self) -> None:
        require_loopback(self.host)
        if self.name != "kompeten_learn2" and "bench" not in self.name:
            raise SystemExit(f"database {self.name!r}: use kompeten_learn2 or a *bench* name")


def _status_kb(pid: int, key: str) -> int:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(rf"^{key}:\s+(\d+) kB", text, re.M)
    return int(match.group(1)) if match else 0


@dataclass
class Sampler:
    """VmRSS of the gunicorn workers every `interval` s while running: the peak per worker
    and the peak of their sum."""

    master: int
    interval: float = 0.02
    peak: dict[int, int] = field(default_factory=dict)
    peak_total: int = 0
    samples: int = 0

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = {pid: _status_kb(pid, "VmRSS") for pid in _children(self.master)}
            for pid, kb in rss.items():
                self.peak[pid] = max(self.peak.get(pid, 0), kb)
            self.peak_total = max(self.peak_total, sum(rss.values()))
            self.samples += 1
            self._stop.wait(self.interval)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    bytes: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


def fire(port: int, path: str, cookie: str, n: int, expect_bytes: int | None,
         max_seconds: float) -> Phase:
    """n GETs at once, one thread and connection each, all released by one barrier."""
    phase = Phase(path)
    lock = threading.Lock()
    barrier = threading.Barrier(n + 1)
    deadline = time.monotonic() + max_seconds

    def one() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        got = 0
        try:
            barrier.wait(timeout=60)
            start = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": cookie})
            resp = conn.getresponse()
            while chunk := resp.read(1024 * 1024):
                got += len(chunk)
                if time.monotonic() > deadline:
                    raise TimeoutError("out of time")
            elapsed = time.perf_counter() - start
            problem = (f"HTTP {resp.status}" if resp.status != 200 else
                       f"{got} bytes" if expect_bytes is not None and got != expect_bytes
                       else None)
        except (OSError, http.client.HTTPException, threading.BrokenBarrierError) as exc:
            problem, elapsed = repr(exc), 0.0
        finally:
            conn.close()
        with lock:
            phase.bytes += got
            if problem:
                phase.errors.append(problem)
            else:
                phase.latencies.append(elapsed)

    threads = [threading.Thread(target=one, daemon=True) for _ in range(n)]
    for t in threads:
        t.start()
    barrier.wait(timeout=60)
    start = time.perf_counter()
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.monotonic()) + 70)
    phase.seconds = time.perf_counter() - start
    if any(t.is_alive() for t in threads):
        phase.errors.append("client threads still running at the deadline")
    return phase


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[max(1, min(len(ordered), int(-(-p * len(ordered) // 100)))) - 1]


def mb(kb: int) -> str:
    return f"{kb / 1024:.1f} MB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--downloads", "-n", type=int, default=200,
                        help="concurrent downloads (and bare requests), default 200")
    parser.add_argument("--size", type=int, default=20_000_000,
                        help="bytes of the material (default 20,000,000; the upload limit "
                             "is ELEARNING_MAX_BYTES = 20 MiB)")
    parser.add_argument("--database", default="kompeten_learn2")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--max-seconds", type=float, default=300.0,
                        help="per phase (default 300)")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    app = ServedApp(db_name="kompeten_bench", workers=args.workers, worker_class="gthread",
                    threads=args.threads, conn_max_age=60, keep_db=args.keep_db)
    app.database = OwnDatabase(name=args.database)
    busy = background_busy()
    with app as ctx:
        port, master = ctx.server.port, ctx.server.proc.pid
        out = app.manage(ctx.server.env, "shell", "-c",
                         SETUP.replace("__SIZE__", str(args.size)))
        version_pk, size = (int(v) for v in out.split("SETUP ", 1)[1].split()[:2])
        path = f"/e-learning/materi/{version_pk}/unduh/"
        cookie = login(port, "peserta", "kompeten2019")
        status, _headers, body = http_get(port, "/bench/bare/", {"Cookie": cookie})
        if status != 200 or body != b"ok":
            raise SystemExit(f"/bench/bare/: HTTP {status}")
        # Warm both workers up on small requests (imports, URL resolver, connections).
        fire(port, "/bench/bare/", cookie, 50, None, 60)
        workers = sorted(_children(master))
        before = {pid: _status_kb(pid, "VmRSS") for pid in workers}
        with Sampler(master) as bare_rss:
            bare = fire(port, "/bench/bare/", cookie, args.downloads, 2, args.max_seconds)
        with Sampler(master) as dl_rss:
            downloads = fire(port, path, cookie, args.downloads, size, args.max_seconds)
        hwm = {pid: _status_kb(pid, "VmHWM") for pid in workers}
        after = {pid: _status_kb(pid, "VmRSS") for pid in workers}

        import psycopg

        with psycopg.connect(host=HOST, port=5432, user="postgres", dbname=args.database) as db:
            counted = db.execute("SELECT coalesce(sum(count), 0), count(*) FROM "
                                 "elearning_materialdownload WHERE version_id = %s",
                                 (version_pk,)).fetchone()

        print("Material downloads benchmark (bench/downloads.py)")
        for key, value in ctx.facts.items():
            print(f"  {key}: {value}")
        print(f"  background load before the run: {busy:.2f} cores busy (other work)")
        print(f"  material: PDF of {size:,} bytes (version {version_pk}); client: "
              f"{args.downloads} threads released at once, one connection each, bodies read "
              f"in 1 MB chunks")
        print(f"\n  {'phase':<11}{'requests':>9}{'errors':>7}{'bytes':>16}{'time s':>8}"
              f"{'MB/s':>8}{'p50 ms':>9}{'p95 ms':>9}")
        for label, phase in (("bare", bare), ("downloads", downloads)):
            ok = len(phase.latencies)
            print(f"  {label:<11}{ok + len(phase.errors):>9}{len(phase.errors):>7}"
                  f"{phase.bytes:>16,}{phase.seconds:>8.2f}"
                  f"{phase.bytes / 1e6 / phase.seconds:>8.0f}"
                  f"{pct(phase.latencies, 50) * 1000:>9.1f}"
                  f"{pct(phase.latencies, 95) * 1000:>9.1f}")
        print(f"\n  gunicorn worker RSS (VmRSS sampled every 20 ms: {bare_rss.samples} samples "
              f"during bare, {dl_rss.samples} during downloads)")
        print(f"  {'worker':<10}{'before':>10}{'peak bare':>11}{'peak downloads':>16}"
              f"{'after':>10}{'VmHWM':>10}")
        for pid in workers:
            print(f"  {pid:<10}{mb(before[pid]):>10}{mb(bare_rss.peak.get(pid, 0)):>11}"
                  f"{mb(dl_rss.peak.get(pid, 0)):>16}{mb(after[pid]):>10}{mb(hwm[pid]):>10}")
        print(f"  {'sum':<10}{mb(sum(before.values())):>10}{mb(bare_rss.peak_total):>11}"
              f"{mb(dl_rss.peak_total):>16}{mb(sum(after.values())):>10}"
              f"{mb(sum(hwm.values())):>10}")
        growth = dl_rss.peak_total - bare_rss.peak_total
        print(f"\n  peak during downloads - peak during bare: {growth / 1024:+.1f} MB "
              f"for {downloads.bytes / 1e9:.2f} GB served "
              f"({args.downloads} x {size / 1e6:.0f} MB would be {args.downloads * size / 1e9:.1f}"
              f" GB if held in memory)")
        print(f"  downloads recorded in the database: {counted[0]} in {counted[1]} row(s)")
        for phase in (bare, downloads):
            if phase.errors:
                print(f"  {phase.name}: first errors {phase.errors[:3]}", file=sys.stderr)
        failed = bare.errors or downloads.errors or counted[0] != args.downloads
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
