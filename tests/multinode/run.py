"""Multi-node test (issue 15): two app nodes, one Celery worker, PostgreSQL, a broker and an
S3-compatible object store, with a client that alternates between the nodes.

    .venv/bin/python tests/multinode/run.py [--brokers redis,rabbitmq,db] [--agencies 60]

Per broker (Redis, then RabbitMQ, then no broker: the database queue of
`manage.py run_jobs`; choose with `--brokers`):
  * two gunicorn nodes, each with its own var dir (disk), on one PostgreSQL database, files in
    a bucket of moto's S3 server, e-mails written as files to one folder the test counts;
  * log in on node 1, go on on node 2 (the session lives in the database);
  * upload a PDF on node 1, download it on node 2 (same bytes; the object is in the bucket,
    private, and on neither node's disk);
  * send the announcement letters on node 1, watch the progress on node 2, kill the worker
    (SIGKILL) mid-job, restart it: the job finishes and every letter is e-mailed exactly once;
  * kill node 1 and go on on node 2.
Prints the figures of the kill test and ends with "N passed, M failed". Processes are stopped
in `finally`, whatever happens. Needs PostgreSQL, Redis and RabbitMQ on 127.0.0.1 (CI: .ci/run).
"""

import argparse
import contextlib
import email
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import boto3
import psycopg
import requests

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
BIN = Path(PY).parent
PASSWORD = "simpul-rahasia-2019"
PG = os.getenv("MULTINODE_PG", "postgres://postgres@127.0.0.1:5432")
DB_NAME = os.getenv("MULTINODE_DB", "kompeten_multinode")
PORT_BASE = int(os.getenv("MULTINODE_PORT", "8180"))
BROKERS = {
    "redis": os.getenv("MULTINODE_REDIS", "redis://127.0.0.1:6379/5"),
    "rabbitmq": os.getenv("MULTINODE_AMQP", "amqp://guest:guest@127.0.0.1:5672//"),
    # No broker: the database queue run by `manage.py run_jobs` (its own reaper).
    "db": "database queue (manage.py run_jobs)",
}
BUCKET = "kompeten-multinode"


def a_pdf(text: str) -> bytes:
    from io import BytesIO

    from reportlab.pdfgen import canvas

    buffer = BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


RESULTS: list[tuple[str, bool, str]] = []


def check(name: str, ok: bool, detail: str = "") -> bool:
    RESULTS.append((name, bool(ok), detail))
    print(f"  [{'ok' if ok else 'FAIL'}] {name}{' — ' + detail if detail else ''}", flush=True)
    return bool(ok)


def wait_for(predicate, *, timeout: float, interval: float = 0.3, what: str = ""):
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception as exc:  # noqa: BLE001 - not ready yet
            last_error = exc
        time.sleep(interval)
    raise TimeoutError(f"{what} not ready after {timeout:.0f} s ({last_error})")


class Process:
    """A child in its own process group, so a kill reaches its workers too."""

    def __init__(self, name: str, args: list[str], env: dict, log_dir: Path):
        self.name = name
        self.log = (log_dir / f"{name}.log").open("ab")
        self.proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True)

    def kill(self, sig=signal.SIGKILL) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=15)
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)
        self.log.close()

    def stop(self) -> None:
        self.kill(signal.SIGTERM)


class Cluster:
    def __init__(self, *, agencies: int, work: Path):
        self.agencies = agencies
        self.work = work
        self.mail_dir = work / "mail"
        self.logs = work / "logs"
        self.processes: list[Process] = []
        self.s3_port = PORT_BASE + 9
        self.endpoint = f"http://127.0.0.1:{self.s3_port}"

    # -- environment ------------------------------------------------------------------------
    def env(self, *, node: str, broker: str | None) -> dict:
        env = {key: value for key, value in os.environ.items()
               if key in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}}
        var = self.work / node
        var.mkdir(parents=True, exist_ok=True)
        env.update({
            "DJANGO_SETTINGS_MODULE": "kompeten.settings",
            "DATABASE_URL": f"{PG}/{DB_NAME}",
            "DEBUG": "0",
            "SECRET_KEY": "multinode-" + "s" * 50,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"http://127.0.0.1:{PORT_BASE}",
            "KOMPETEN_VAR_DIR": str(var),
            "PRIVATE_MEDIA_ROOT": str(var / "private"),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_S3_ADDRESSING_STYLE": "path",
            "AWS_ACCESS_KEY_ID": "multinode",
            "AWS_SECRET_ACCESS_KEY": "multinode-secret",
            "JOB_HEARTBEAT_SECONDS": "1",
            "JOB_STALE_SECONDS": "6",
            "JOB_REAP_SECONDS": "2",
            "LOG_LEVEL": "WARNING",
        })
        if broker:
            env["REDIS_URL"] = BROKERS["redis"]
        if broker in ("redis", "rabbitmq"):
            env["CELERY_BROKER_URL"] = BROKERS[broker]
        return env

    def start(self, name: str, args: list[str], env: dict) -> Process:
        process = Process(name, args, env, self.logs)
        self.processes.append(process)
        return process

    def manage(self, *args: str, env: dict, timeout: float = 300) -> str:
        result = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=timeout)
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)}: {result.stdout}{result.stderr}")
        return result.stdout

    # -- set-up -----------------------------------------------------------------------------
    def set_up(self) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
        self.start("s3", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p",
                          str(self.s3_port)], self.env(node="s3", broker=None))
        wait_for(lambda: requests.get(self.endpoint, timeout=2).status_code < 500,
                 timeout=60, what="moto S3 server")
        self.s3().create_bucket(Bucket=BUCKET)
        env = self.env(node="setup", broker=None)
        self.manage("migrate", "--noinput", "-v0", env=env)
        subprocess.run([PY, "-m", "tests.multinode.seed", str(self.agencies), PASSWORD],
                       cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)

    def s3(self):
        return boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id="multinode",
                            aws_secret_access_key="multinode-secret")

    def start_node(self, number: int, broker: str) -> tuple[Process, str]:
        """Start a node (not waiting: see ready())."""
        port = PORT_BASE + number
        node = self.start(f"node{number}-{broker}", [
            str(BIN / "gunicorn"), "kompeten.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2",
            "--timeout", "60", "--graceful-timeout", "5", "--no-control-socket"],
            self.env(node=f"node{number}", broker=broker))
        return node, f"http://127.0.0.1:{port}"

    @staticmethod
    def ready(url: str) -> None:
        wait_for(lambda: requests.get(f"{url}/healthz", timeout=3).ok, timeout=60,
                 what=f"node {url}")

    def start_worker(self, broker: str, generation: int) -> Process:
        env = self.env(node="worker", broker=broker)
        if broker == "db":
            return self.start(f"worker-db-{generation}",
                              [PY, "manage.py", "run_jobs", "--poll", "0.3"], env)
        worker = self.start(f"worker-{broker}-{generation}", [
            str(BIN / "celery"), "-A", "kompeten", "worker", "-B", "-l", "warning",
            "--concurrency", "1", "-s", str(self.work / "worker" / f"beat-{broker}"),
            "-n", f"multinode-{broker}-{generation}@%h", "--without-gossip",
            "--without-mingle"], env)
        return worker

    def tear_down(self) -> None:
        for process in reversed(self.processes):
            with contextlib.suppress(Exception):
                process.kill()

    # -- reading the outcome -----------------------------------------------------------------
    def db(self):
        return psycopg.connect(f"{PG}/{DB_NAME}", autocommit=True)

    def mails(self) -> Counter:
        """Letter e-mails per letter id, from the files the mail backend wrote."""
        counts: Counter = Counter()
        for path in sorted(self.mail_dir.glob("*.log")):
            for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if not chunk.strip():
                    continue
                message = email.message_from_bytes(chunk)
                key = message.get("X-Kompeten-Key", "")
                if key.startswith("letter:"):
                    counts[int(key.split(":")[1])] += 1
        return counts


class Client:
    def __init__(self):
        self.session = requests.Session()

    def _csrf(self, url: str) -> str:
        page = self.session.get(url, timeout=20)
        page.raise_for_status()
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        return match.group(1) if match else self.session.cookies.get("csrftoken", "")

    def login(self, base: str, username: str) -> requests.Response:
        token = self._csrf(f"{base}/akun/masuk/")
        return self.session.post(f"{base}/akun/masuk/", data={
            "username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            timeout=20, allow_redirects=False)

    def post(self, base: str, path: str, data: dict, files=None, form_page: str | None = None):
        token = self._csrf(f"{base}{form_page or path}")
        return self.session.post(f"{base}{path}", data={**data, "csrfmiddlewaretoken": token},
                                 files=files, timeout=60, allow_redirects=False)

    def get(self, base: str, path: str, **kwargs) -> requests.Response:
        return self.session.get(f"{base}{path}", timeout=20, **kwargs)


def progress(client: Client, base: str, job_path: str) -> tuple[int, str]:
    text = client.get(base, f"{job_path}progres/").text
    percent = int(re.search(r'aria-valuenow="(\d+)"', text).group(1))
    status = re.search(r"<strong>([^<]+)</strong>", text).group(1)
    return percent, status


def scenario(cluster: Cluster, broker: str, *, first_run: bool) -> dict:
    print(f"\n== broker: {broker} ({BROKERS[broker].split('@')[-1]})", flush=True)
    node1, url1 = cluster.start_node(1, broker)
    node2, url2 = cluster.start_node(2, broker)
    worker = cluster.start_worker(broker, 1)
    cluster.ready(url1)
    cluster.ready(url2)
    figures = {}
    # 1. log in on one node, go on on the other
    organiser = Client()
    response = organiser.login(url1, "penyelenggara")
    check(f"{broker}: organiser logs in on node 1", response.status_code == 302,
          str(response.status_code))
    page = organiser.get(url2, "/surat-pemberitahuan/")
    check(f"{broker}: node 2 knows the session", page.status_code == 200 and
          "BKPSDM Uji Simpul 001" in page.text, str(page.status_code))
    # 2. upload on one node, download on the other
    operator = Client()
    operator.login(url2, "operator")
    # node 2 serves the operator's list from the shared cache until a write anywhere
    for _ in range(2):
        before = operator.get(url2, "/surat-usulan/").text
    seen = re.findall(r'href="(/dokumen/\d+/unduh/)"', before)
    body = a_pdf(f"Surat usulan uji simpul ({broker})")
    response = operator.post(url1, "/surat-usulan/", {
        "number": f"800/{broker}/BKD/2019", "date": "2019-04-01"},
        files={"document": (f"surat-{broker}.pdf", body, "application/pdf")})
    check(f"{broker}: upload on node 1", response.status_code == 302,
          f"{response.status_code} {response.text[:200] if response.status_code != 302 else ''}")
    listing = operator.get(url2, "/surat-usulan/").text
    links = re.findall(r'href="(/dokumen/\d+/unduh/)"', listing)
    check(f"{broker}: node 2's cached list shows the upload made on node 1 at once",
          len(set(links) - set(seen)) == 1, f"{len(seen)} -> {len(links)} documents")
    downloaded = operator.get(url2, links[0]) if links else None
    check(f"{broker}: download on node 2 gives the same bytes",
          downloaded is not None and downloaded.status_code == 200
          and downloaded.content == body,
          f"{downloaded.status_code if downloaded is not None else 'no link'}")
    keys = [obj["Key"] for obj in cluster.s3().list_objects_v2(Bucket=BUCKET).get(
        "Contents", [])]
    uploads = [key for key in keys if key.startswith("uploads/")]
    check(f"{broker}: the file is in the bucket, on no node's disk", uploads and not any(
        (cluster.work / node / "private").exists() and any(
            (cluster.work / node / "private").rglob("*.pdf")) for node in ("node1", "node2")),
        f"{len(uploads)} upload object(s)")
    acl = cluster.s3().get_object_acl(Bucket=BUCKET, Key=uploads[-1]) if uploads else {}
    check(f"{broker}: the object is private",
          all(grant["Grantee"].get("Type") == "CanonicalUser" for grant in acl.get("Grants", [])),
          str([g["Grantee"].get("URI", "owner") for g in acl.get("Grants", [])]))
    # 3. send the letters on node 1, watch on node 2, kill the worker mid-job
    shutil.rmtree(cluster.mail_dir, ignore_errors=True)
    cluster.mail_dir.mkdir()
    response = organiser.post(url1, "/surat-pemberitahuan/kirim/",
                              {"scope": "unsent" if first_run else "all", "confirm": "1"},
                              form_page="/surat-pemberitahuan/")
    job_path = response.headers.get("Location", "")
    check(f"{broker}: sending starts on node 1", response.status_code == 302 and
          "/pengiriman/" in job_path, job_path)
    job_id = int(re.search(r"/pengiriman/(\d+)/", job_path).group(1))
    started = time.monotonic()
    percent_at_kill = wait_for(lambda: (p := progress(organiser, url2, job_path)[0]) >= 20
                               and p, timeout=90, interval=0.2, what="progress on node 2")
    worker.kill()
    figures["percent_at_kill"] = percent_at_kill
    time.sleep(1)
    with cluster.db() as conn:
        figures["sent_before_restart"] = conn.execute(
            "SELECT count(*) FROM letters_announcementletter WHERE job_id = %s AND "
            "status = 'sent'", (job_id,)).fetchone()[0]
    stalled = progress(organiser, url2, job_path)
    check(f"{broker}: the job is unfinished while the worker is dead",
          stalled[0] < 100, f"{stalled[0]}% {stalled[1]}")
    cluster.start_worker(broker, 2)
    restarted = time.monotonic()
    wait_for(lambda: (p := progress(organiser, url2, job_path))[1] == "Selesai" and p,
                     timeout=120, interval=0.5, what="the job's end after the restart")
    figures["seconds_to_finish_after_restart"] = round(time.monotonic() - restarted, 1)
    figures["seconds_total"] = round(time.monotonic() - started, 1)
    rows, (total, sent, failed) = job_state(cluster, job_id)
    mails = cluster.mails()
    # A kill in the instant between "handed to the mail server" and the write leaves the
    # letter failed as uncertain (never resent by itself). The person who checks with the
    # agency that it did not arrive presses "Ulangi"; the test does the same.
    uncertain = [pk for pk, status, error in rows
                 if status == "failed" and "mungkin sudah terkirim" in error]
    figures["uncertain"] = len(uncertain)
    if uncertain and all(mails[pk] == 0 for pk in uncertain):
        organiser.post(url2, f"{job_path}ulangi/", {}, form_page=f"{job_path}ulangi/")
        wait_for(lambda: (p := progress(organiser, url2, job_path))[1] == "Selesai" and p[0]
                 == 100 and p, timeout=60, interval=0.5, what="the retried job's end")
        rows, (total, sent, failed) = job_state(cluster, job_id)
        mails = cluster.mails()
    letter_ids = {row[0] for row in rows}
    duplicates = sum(count - 1 for count in mails.values() if count > 1)
    missing = [pk for pk in letter_ids if mails[pk] == 0]
    figures.update({"letters": len(letter_ids), "job_sent": sent, "job_failed": failed,
                    "mails": sum(mails.values()), "duplicates": duplicates,
                    "missing": len(missing)})
    check(f"{broker}: every letter sent once after the worker was killed",
          sent == total == len(letter_ids) == self_count(rows, "sent")
          and duplicates == 0 and not missing,
          f"{sum(mails.values())} mails for {len(letter_ids)} letters, duplicates {duplicates}, "
          f"missing {len(missing)}, job {sent}/{total} sent, {failed} failed, "
          f"uncertain {len(uncertain)}")
    # 4. kill node 1, go on on node 2
    node1.kill()
    page = organiser.get(url2, job_path)
    check(f"{broker}: node 1 dead, node 2 goes on with the session",
          page.status_code == 200 and "Selesai" in page.text, str(page.status_code))
    letter_page = operator.get(url2, "/surat-pemberitahuan/instansi-saya/")
    pdf_link = re.search(r'href="(/surat-pemberitahuan/\d+/unduh\.pdf)"', letter_page.text)
    letter_pdf = operator.get(url2, pdf_link.group(1)) if pdf_link else None
    check(f"{broker}: the e-mailed letter is served from the bucket on node 2",
          letter_pdf is not None and letter_pdf.status_code == 200
          and letter_pdf.content.startswith(b"%PDF"),
          str(letter_pdf.status_code if letter_pdf is not None else "no link"))
    for process in list(cluster.processes):
        if process.name.startswith(("node", "worker")):
            process.stop()
            cluster.processes.remove(process)
    return figures


def job_state(cluster: Cluster, job_id: int):
    with cluster.db() as conn:
        rows = conn.execute("SELECT id, status, error FROM letters_announcementletter "
                            "WHERE job_id = %s", (job_id,)).fetchall()
        counts = conn.execute("SELECT total, sent, failed FROM letters_sendjob WHERE id = %s",
                              (job_id,)).fetchone()
    return rows, counts


def self_count(rows, status: str) -> int:
    return sum(1 for row in rows if row[1] == status)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--brokers", default="redis,rabbitmq,db")
    parser.add_argument("--agencies", type=int, default=int(os.getenv("MULTINODE_AGENCIES",
                                                                      "60")))
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs)")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kompeten-multinode-"))
    cluster = Cluster(agencies=options.agencies, work=work)
    figures = {}
    started = time.monotonic()
    try:
        cluster.set_up()
        for index, broker in enumerate(options.brokers.split(",")):
            try:
                figures[broker] = scenario(cluster, broker, first_run=index == 0)
            except Exception as exc:  # noqa: BLE001 - report, clean up, go on
                check(f"{broker}: scenario ran to the end", False, f"{type(exc).__name__}: {exc}")
                for process in list(cluster.processes):
                    if process.name.startswith(("node", "worker")):
                        process.kill()
                        cluster.processes.remove(process)
    except Exception as exc:  # noqa: BLE001
        check("cluster set-up", False, f"{type(exc).__name__}: {exc}")
    finally:
        cluster.tear_down()
        failed = [name for name, ok, _detail in RESULTS if not ok]
        if failed or options.keep:
            print(f"logs: {cluster.logs}")
            for log in sorted(cluster.logs.glob("*.log")) if failed else []:
                print(f"--- {log.name} (last lines)")
                print("\n".join(log.read_text(errors="replace").splitlines()[-15:]))
        else:
            shutil.rmtree(work, ignore_errors=True)
    print("\nKill-test figures (letters sent per job, duplicates must be 0):")
    for broker, numbers in figures.items():
        print(f"  {broker:9} " + ", ".join(f"{key} {value}" for key, value in numbers.items()))
    print(f"  wall time {time.monotonic() - started:.0f} s")
    passed = sum(1 for _name, ok, _detail in RESULTS if ok)
    print(f"\nmultinode: {passed} passed, {len(RESULTS) - passed} failed")
    return 0 if RESULTS and passed == len(RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
