"""What benchmarks share: a throw-away PostgreSQL database, a gunicorn server on
loopback, a keep-alive HTTP load generator and latency statistics.

Only loopback addresses are ever contacted: PostgreSQL on 127.0.0.1 and the
gunicorn server this module starts on 127.0.0.1.
"""

from __future__ import annotations

import http.client
import ipaddress
import itertools
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def require_loopback(host: str) -> None:
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        raise SystemExit(f"refusing to contact {host!r}: the benchmark only uses loopback")


# --------------------------------------------------------------------------- database


@dataclass
class Database:
    name: str = "kompeten_bench"
    host: str = HOST
    port: int = 5432
    user: str = "postgres"

    def __post_init__(self) -> None:
        require_loopback(self.host)
        # It is dropped: only ever a database of this benchmark's own.
        if not re.fullmatch(r"[a-z0-9_]*bench[a-z0-9_]*", self.name):
            raise SystemExit(f"database name {self.name!r} must contain 'bench'")

    @property
    def url(self) -> str:
        return f"postgres://{self.user}@{self.host}:{self.port}/{self.name}"

    def _admin(self):
        import psycopg

        return psycopg.connect(host=self.host, port=self.port, user=self.user,
                               dbname="postgres", autocommit=True, connect_timeout=10)

    def recreate(self) -> str:
        """Drop and create the database; return the server version."""
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.name}"')
            return conn.execute("SHOW server_version").fetchone()[0]

    def drop(self) -> None:
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


# --------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    """utime + stime of one process, from /proc (0 if it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU seconds spent busy (not idle or waiting for I/O) on all cores since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


@dataclass
class Server:
    """gunicorn serving the project with bench.settings on 127.0.0.1:<free port>."""

    env: dict[str, str]
    workers: int = 2
    worker_class: str = "gthread"
    threads: int = 4
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def description(self) -> str:
        threads = f" x {self.threads} threads" if self.worker_class == "gthread" else ""
        return f"gunicorn {metadata.version('gunicorn')}, {self.workers} {self.worker_class} " \
               f"workers{threads}, bound to {HOST}:{self.port}"

    def start(self, log_dir: Path, timeout: float = 30.0) -> None:
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.log_path = log_dir / "gunicorn.log"
        cmd = [str(gunicorn), "kompeten.wsgi:application",
               "--bind", f"{HOST}:{self.port}",
               "--workers", str(self.workers), "--worker-class", self.worker_class,
               # gunicorn turns sync workers with threads > 1 into gthread.
               "--threads", str(self.threads if self.worker_class == "gthread" else 1),
               "--keep-alive", "5", "--timeout", "60", "--graceful-timeout", "10",
               "--log-level", "warning", "--error-logfile", str(self.log_path),
               "--chdir", str(REPO)]
        # Own session, so stop() can end this server and only this server.
        self.proc = subprocess.Popen(cmd, env=self.env, cwd=REPO, start_new_session=True,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        last_error = ""
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}\n"
                                   f"{self.log_tail()}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                conn.request("GET", "/healthz")
                resp = conn.getresponse()
                body = resp.read()
                conn.close()
                healthy = resp.status == 200 and b'"database": "ok"' in body
                if healthy and len(_children(self.proc.pid)) >= self.workers:
                    return
                last_error = f"/healthz {resp.status}: {body[:200]!r}"
            except OSError as exc:
                last_error = repr(exc)
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn not healthy after {timeout:.0f}s ({last_error})\n"
                           f"{self.log_tail()}")

    def cpu_seconds(self) -> float:
        if self.proc is None:
            return 0.0
        pids = [self.proc.pid, *_children(self.proc.pid)]
        return sum(_cpu_seconds(pid) for pid in pids)

    def log_tail(self, lines: int = 30) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)  # the group this server leads
            self.proc.wait(timeout=5)


# --------------------------------------------------------------------------- load


@dataclass
class Target:
    name: str
    path: str
    description: str
    headers: dict[str, str] = field(default_factory=dict)
    expect: bytes | None = None  # body must contain this
    reject: bytes | None = None  # body must not contain this
    expect_count: tuple[bytes, int] | None = None  # (needle, exact count) in the body


@dataclass
class Result:
    target: Target
    requests: int = 0
    errors: int = 0
    status_counts: dict[int, int] = field(default_factory=dict)
    bad_bodies: int = 0
    exceptions: int = 0
    connections: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # seconds, successful ones
    body_bytes: int = 0
    client_cpu: float = 0.0
    server_cpu: float = 0.0
    machine_cpu: float = 0.0  # all processes on all cores: server, client, PostgreSQL...
    timed_out: bool = False

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile of the latencies, in milliseconds."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(1, min(len(ordered), int(-(-p * len(ordered) // 100))))
        return ordered[rank - 1] * 1000

    def as_dict(self, baseline: Result | None) -> dict:
        d = {
            "target": self.target.name, "path": self.target.path,
            "description": self.target.description,
            "requests": self.requests, "errors": self.errors,
            "status_counts": {str(k): v for k, v in sorted(self.status_counts.items())},
            "bad_bodies": self.bad_bodies, "exceptions": self.exceptions,
            "connections_opened": self.connections, "seconds": round(self.seconds, 3),
            "req_per_s": round(self.rps, 1),
            "p50_ms": round(self.percentile(50), 2), "p95_ms": round(self.percentile(95), 2),
            "p99_ms": round(self.percentile(99), 2),
            "mean_body_bytes": round(self.body_bytes / self.requests) if self.requests else 0,
            "client_cpu_s": round(self.client_cpu, 2), "server_cpu_s": round(self.server_cpu, 2),
            "machine_cpu_s": round(self.machine_cpu, 2), "timed_out": self.timed_out,
        }
        if baseline is not None and baseline.rps and self.rps:
            d["rps_ratio_vs_bare"] = round(self.rps / baseline.rps, 3)
            d["p50_ratio_vs_bare"] = round(self.percentile(50) / baseline.percentile(50), 2)
        return d


def merge(parts: list[Result]) -> Result:
    """One result from several rounds of the same target."""
    total = Result(parts[0].target)
    for part in parts:
        total.requests += part.requests
        total.errors += part.errors
        for status, n in part.status_counts.items():
            total.status_counts[status] = total.status_counts.get(status, 0) + n
        total.bad_bodies += part.bad_bodies
        total.exceptions += part.exceptions
        total.connections += part.connections
        total.seconds += part.seconds
        total.latencies.extend(part.latencies)
        total.body_bytes += part.body_bytes
        total.client_cpu += part.client_cpu
        total.server_cpu += part.server_cpu
        total.machine_cpu += part.machine_cpu
        total.timed_out |= part.timed_out
    return total


def background_busy(seconds: float = 2.0) -> float:
    """Share of one core the machine is busy while this benchmark is idle (other work)."""
    before = machine_busy_seconds()
    time.sleep(seconds)
    return (machine_busy_seconds() - before) / seconds


def check_body(target: Target, body: bytes) -> str | None:
    """Why the body is not the expected page, or None if it is."""
    if target.expect is not None and target.expect not in body:
        return f"missing {target.expect!r}"
    if target.reject is not None and target.reject in body:
        return f"unexpected {target.reject!r}"
    if target.expect_count is not None:
        needle, count = target.expect_count
        if (found := body.count(needle)) != count:
            return f"{found} x {needle!r}, expected {count}"
    return None


def load(port: int, target: Target, requests: int, concurrency: int, max_seconds: float,
         server: Server | None = None, record: bool = True) -> Result:
    """Send `requests` GETs with `concurrency` keep-alive client threads.

    Threads take request numbers from one shared counter, so the total is exact;
    the run also stops at `max_seconds`. Every response is read in full, its status
    and body checked; only 200s with the expected body count as successes.
    """
    result = Result(target)
    counter = itertools.count()
    lock = threading.Lock()
    deadline = time.monotonic() + max_seconds
    headers = {"Connection": "keep-alive", **target.headers}
    first_failure: list[str] = []

    def worker() -> None:
        latencies: list[float] = []
        statuses: dict[int, int] = {}
        bad = exc_count = conns = nbytes = done = 0
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        try:
            while next(counter) < requests:
                if time.monotonic() > deadline:
                    result.timed_out = True
                    break
                if conn.sock is None:
                    conns += 1
                start = time.perf_counter()
                try:
                    conn.request("GET", target.path, headers=headers)
                    resp = conn.getresponse()
                    body = resp.read()
                except (OSError, http.client.HTTPException) as exc:
                    elapsed = time.perf_counter() - start
                    exc_count += 1
                    done += 1
                    conn.close()
                    if not first_failure:
                        first_failure.append(f"{target.name}: {exc!r}")
                    continue
                elapsed = time.perf_counter() - start
                done += 1
                nbytes += len(body)
                statuses[resp.status] = statuses.get(resp.status, 0) + 1
                problem = check_body(target, body) if resp.status == 200 else f"HTTP {resp.status}"
                if problem is not None:
                    bad += resp.status == 200
                    if not first_failure:
                        first_failure.append(f"{target.name}: {problem}")
                else:
                    latencies.append(elapsed)
        finally:
            conn.close()
        with lock:
            result.requests += done
            result.latencies.extend(latencies)
            for status, n in statuses.items():
                result.status_counts[status] = result.status_counts.get(status, 0) + n
            result.bad_bodies += bad
            result.exceptions += exc_count
            result.connections += conns
            result.body_bytes += nbytes

    threads = [threading.Thread(target=worker, name=f"client-{i}") for i in range(concurrency)]
    server_cpu0 = server.cpu_seconds() if server else 0.0
    client_cpu0 = time.process_time()
    machine_cpu0 = machine_busy_seconds()
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - start
    result.client_cpu = time.process_time() - client_cpu0
    result.machine_cpu = machine_busy_seconds() - machine_cpu0
    result.server_cpu = (server.cpu_seconds() - server_cpu0) if server else 0.0
    result.errors = result.requests - len(result.latencies)
    if first_failure and record:
        print(f"  first failure: {first_failure[0]}", file=sys.stderr)
    return result


# --------------------------------------------------------------------------- HTTP helpers


def http_get(port: int, path: str, headers: dict[str, str] | None = None):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        conn.close()


def cookies_from(headers) -> dict[str, str]:
    jar: dict[str, str] = {}
    for header in headers.get_all("Set-Cookie") or []:
        cookie = SimpleCookie()
        cookie.load(header)
        jar.update({k: m.value for k, m in cookie.items()})
    return jar


def login(port: int, username: str, password: str, login_path: str = "/akun/masuk/") -> str:
    """Log in once through Django's LoginView; return the Cookie header of the session.

    Called once per run with the correct password: django-axes locks an account
    after repeated failures, so a failed login aborts instead of retrying.
    """
    status, headers, body = http_get(port, login_path)
    if status != 200:
        raise RuntimeError(f"GET {login_path}: HTTP {status}")
    jar = cookies_from(headers)
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if "csrftoken" not in jar or match is None:
        raise RuntimeError("login page has no CSRF cookie or token")
    form = urllib.parse.urlencode({"username": username, "password": password,
                                   "csrfmiddlewaretoken": match.group(1).decode()})
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("POST", login_path, body=form, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={jar['csrftoken']}",
            "Referer": f"http://{HOST}:{port}{login_path}",
        })
        resp = conn.getresponse()
        resp.read()
        jar.update(cookies_from(resp.headers))
    finally:
        conn.close()
    if resp.status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"login as {username!r} failed: HTTP {resp.status}, "
                           f"cookies {sorted(jar)}")
    return "; ".join(f"{k}={v}" for k, v in jar.items() if k in ("sessionid", "csrftoken"))


# --------------------------------------------------------------------------- context


@dataclass
class Context:
    """A served app: database + gunicorn, ready for requests, with environment facts."""

    server: Server
    database: Database
    facts: dict[str, str]


def versions() -> dict[str, str]:
    out = {"python": platform.python_version(), "cpus": str(os.cpu_count())}
    for dist in ("Django", "gunicorn", "psycopg", "django-tables2"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "?"
    return out


class ServedApp:
    """with ServedApp(args) as ctx: fresh database, migrate + load_demo, gunicorn up.

    On exit gunicorn is stopped and (unless keep_db) the database dropped.
    """

    def __init__(self, *, db_name: str, workers: int, worker_class: str, threads: int,
                 conn_max_age: int, keep_db: bool = False, setup_timeout: float = 600,
                 port: int | None = None) -> None:
        self.database = Database(name=db_name)
        self.port = port
        self.workers, self.worker_class, self.threads = workers, worker_class, threads
        self.conn_max_age = conn_max_age
        self.keep_db = keep_db
        self.setup_timeout = setup_timeout
        self.tmp: Path | None = None
        self.server: Server | None = None

    def env(self) -> dict[str, str]:
        keep = ("PATH", "LANG", "LC_ALL", "HOME", "TZ")
        env = {k: v for k, v in os.environ.items() if k in keep}
        env.update({
            "PYTHONPATH": str(REPO),
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": self.database.url,
            "DATABASE_CONN_MAX_AGE": str(self.conn_max_age),
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            # Runtime files (mail, private media) go to a temporary directory.
            "KOMPETEN_VAR_DIR": str(self.tmp / "var"),
            "PYTHONDONTWRITEBYTECODE": "1",
        })
        return env

    def manage(self, env: dict[str, str], *args: str) -> str:
        # Commands run with the project's own settings: bench.settings differs only by its
        # URLconf, and manage.py reads settings while kompeten/__init__.py (Celery) is still
        # being imported, which bench.settings' star import would make circular.
        env = {**env, "DJANGO_SETTINGS_MODULE": "kompeten.settings"}
        proc = subprocess.run([sys.executable, str(REPO / "manage.py"), *args], env=env,
                              cwd=REPO, capture_output=True, text=True,
                              timeout=self.setup_timeout)
        if proc.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{proc.stdout}{proc.stderr}")
        return proc.stdout

    def __enter__(self) -> Context:
        self.tmp = Path(tempfile.mkdtemp(prefix="kompeten-bench-"))
        try:
            return self._setup()
        except BaseException:
            self.__exit__(*sys.exc_info())
            raise

    def _setup(self) -> Context:
        t0 = time.perf_counter()
        pg_version = self.database.recreate()
        env = self.env()
        self.manage(env, "migrate", "--noinput", "-v0")
        demo = self.manage(env, "load_demo").splitlines()[0]
        setup_s = time.perf_counter() - t0
        self.server = Server(env=env, workers=self.workers, worker_class=self.worker_class,
                             threads=self.threads, **({"port": self.port} if self.port else {}))
        self.server.start(self.tmp)
        facts = {**versions(), "postgresql": pg_version,
                 "database": f"{self.database.name} on {self.database.host}:{self.database.port}"
                             f", CONN_MAX_AGE={self.conn_max_age}",
                 "server": self.server.description,
                 "settings": "bench.settings (kompeten.settings + /bench/bare/), DEBUG=0",
                 "demo data": demo, "setup": f"{setup_s:.1f}s (create db, migrate, load_demo)"}
        return Context(server=self.server, database=self.database, facts=facts)

    def __exit__(self, *exc) -> None:
        try:
            if self.server is not None:
                if exc[0] is not None and (tail := self.server.log_tail()):
                    print(f"--- gunicorn log (tail)\n{tail}", file=sys.stderr)
                self.server.stop()
        finally:
            try:
                if not self.keep_db:
                    self.database.drop()
            finally:
                if self.tmp is not None:
                    shutil.rmtree(self.tmp, ignore_errors=True)


# --------------------------------------------------------------------------- COPY

def _default(field):
    value = field.get_default()
    return json.dumps(value) if isinstance(value, dict | list) else value


def copy_rows(model, rows, *, fields: list[str] | None = None) -> int:
    """COPY rows (dicts by attname) into the model's table; unset fields take the default."""
    from django.db import connection

    concrete = [f for f in model._meta.concrete_fields if not f.primary_key
                or f.attname in (fields or [])]
    columns = ", ".join(f'"{f.column}"' for f in concrete)
    defaults = {f.attname: f for f in concrete}
    count = 0
    with connection.cursor() as cursor, cursor.connection.cursor().copy(
            f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([row[f.attname] if f.attname in row else _default(defaults[f.attname])
                            for f in concrete])
            count += 1
    return count


def ids(model, **filters) -> list[int]:
    return list(model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True))
