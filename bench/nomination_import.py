"""Benchmark: importing a nomination file of 10,000 rows (time and peak memory).

    .venv/bin/python bench/nomination_import.py [--rows 10000] [--database sqlite|postgres|both]
        [--repeat 3] [--one-by-one 300] [--strings shared|inline] [--json FILE]

For each database (default: both) a fresh one is made: SQLite in a temporary file, or
PostgreSQL on 127.0.0.1:5432 as user postgres, database kompeten_bench_import (dropped and
created, dropped again at the end). It holds the 2019 programme (1 seat per agency and
level), ceil(rows / 3) agencies, and an .xlsx file of `rows` valid nominations: one per
agency and level, saved as Excel saves it (shared strings and the sheet's dimension;
--strings inline: as openpyxl's write-only mode writes it, slower to read). Each
measurement runs in its own process (Django set up, not timed) so that ru_maxrss, the
process's peak resident memory, belongs to that measurement alone:

  openpyxl-read  baseline: openpyxl opens the file (read_only) and iterates its values
  dry-run        import_nominations(dry_run=True): read + check every row, nothing written
  import         import_nominations(): read + check + lock + bulk_create in one transaction
  bulk-create    baseline: Registration.objects.bulk_create() of the same rows, objects
                 built beforehand (what any import must at least pay to the database)
  one-by-one     services.nominate() per row for --one-by-one rows, extrapolated to `rows`

Wall time is the median of --repeat runs without tracemalloc (rows written are deleted
between runs, not timed); the tracemalloc peak (Python allocations) is taken from one
more run with tracemalloc on. Nothing but loopback is contacted.
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
import json  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
import zipfile  # noqa: E402

PG_NAME = "kompeten_bench_import"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"
PHASES = ["openpyxl-read", "dry-run", "import", "bulk-create", "one-by-one"]
LEVELS = ["JPT Pratama", "Administrator", "Pengawas"]


# -- the data ----------------------------------------------------------------------------------

def nip_for(index: int) -> str:
    """A valid, distinct PNS NIP: birth date, CPNS appointment 25 years later, gender, serial."""
    birth = dt.date(1965, 1, 1) + dt.timedelta(days=index % 9000)
    month = 1 + index % 12
    gender = 1 + index % 2
    return f"{birth:%Y%m%d}{birth.year + 25}{month:02d}{gender}{(index // 9000) % 1000:03d}"


def agency_code(index: int) -> str:
    return f"BENCH-{index:05d}"


def file_rows(count: int) -> list[list[str]]:
    """Row i: agency i // 3, level i % 3, so every agency uses its 1 seat per level."""
    return [[agency_code(i // 3), LEVELS[i % 3], nip_for(i), "tidak", "",
             f"Dr. Pegawai Nomor {i}, M.Si.", "Kepala Bagian Umum", "Sekretariat",
             f"pegawai{i}@instansi.example", f"0812{i:08d}"] for i in range(count)]


def save_like_excel(path: Path) -> None:
    """Rewrite openpyxl's inline strings as a shared-string table and add the sheet's
    <dimension>, as Excel and LibreOffice save files. (openpyxl's write-only files have no
    dimension, so opening them read-only parses the whole sheet once more.)"""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    strings: dict[str, int] = {}

    def shared(match: re.Match) -> str:
        index = strings.setdefault(match.group(2), len(strings))
        return f'<c r="{match.group(1)}" t="s"><v>{index}</v></c>'

    sheet = "xl/worksheets/sheet1.xml"
    xml = re.sub(r'<c r="([A-Z]+[0-9]+)" t="inlineStr"><is><t>(.*?)</t></is></c>',
                 shared, parts[sheet].decode())
    last_row = max(int(row) for row in re.findall(r'<row r="([0-9]+)"', xml))
    last_column = max(re.findall(r'<c r="([A-Z]+)[0-9]+"', xml), key=lambda c: (len(c), c))
    xml = xml.replace("</sheetPr>", f'</sheetPr><dimension ref="A1:{last_column}{last_row}" />',
                      1)
    parts[sheet] = xml.encode()
    items = "".join(f"<si><t>{text}</t></si>" for text in strings)
    parts["xl/sharedStrings.xml"] = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'uniqueCount="{len(strings)}">{items}</sst>').encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats'
        b'.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        b"</Relationships>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


# -- child process: one measurement -------------------------------------------------------------

def setup_django(database_url: str, var_dir: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["KOMPETEN_VAR_DIR"] = var_dir
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ["DJANGO_SETTINGS_MODULE"] = "kompeten.settings"
    import django

    django.setup()


def prepare(rows: int, workdir: Path, strings: str) -> dict:
    from django.core.management import call_command
    from openpyxl import Workbook

    from kompeten.nominations.excel_import import COLUMN_KEYS
    from kompeten.programs.models import Agency, AgencyKind
    from kompeten.programs.services import create_program_2019

    call_command("migrate", verbosity=0, interactive=False)
    create_program_2019()
    agencies = (rows + 2) // 3
    Agency.objects.bulk_create(
        [Agency(code=agency_code(i), name=f"Instansi Uji {i}", kind=AgencyKind.KL_PUSAT)
         for i in range(agencies)], batch_size=1000)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Usulan")
    sheet.append(COLUMN_KEYS)
    for values in file_rows(rows):
        sheet.append(values)
    path = workdir / "usulan.xlsx"
    workbook.save(path)
    if strings == "shared":
        save_like_excel(path)
    return {"agencies": agencies, "file_bytes": path.stat().st_size}


def _registrations(program, rows: int):
    from kompeten.nominations.services import Nominee, check_nominee
    from kompeten.programs.models import Agency, Level
    from kompeten.registration.models import Registration

    agencies = {a.code: a for a in Agency.objects.filter(code__startswith="BENCH-")}
    levels = {level.name: level for level in Level.objects.all()}
    objects = []
    for code, level, nip, _pppk, _gender, name, position, unit, email, phone in file_rows(rows):
        fields = check_nominee(Nominee(nip=nip, full_name=name, position=position, email=email,
                                       work_unit=unit, phone=phone))
        objects.append(Registration(program=program, agency=agencies[code], level=levels[level],
                                    seat=1, **fields))
    return objects


def measure(phase: str, rows: int, workdir: Path, repeat: int, one_by_one: int) -> dict:
    """Run one phase `repeat` times (timed) and once more under tracemalloc."""
    import io

    from django.db import transaction
    from openpyxl import load_workbook

    from kompeten.nominations import services
    from kompeten.nominations.excel_import import import_nominations
    from kompeten.programs.models import Agency, Level, Program
    from kompeten.registration.models import Registration

    program = Program.objects.get(code="2019")
    content = (workdir / "usulan.xlsx").read_bytes()
    work_rows = rows
    objects = None
    if phase == "bulk-create":
        objects = _registrations(program, rows)
    if phase == "one-by-one":
        work_rows = min(one_by_one, rows)
        levels = {level.name: level for level in Level.objects.all()}
        agencies = {a.code: a for a in Agency.objects.filter(code__startswith="BENCH-")}
        nominees = [(agencies[r[0]], levels[r[1]], services.Nominee(
            nip=r[2], full_name=r[5], position=r[6], work_unit=r[7], email=r[8], phone=r[9]))
            for r in file_rows(work_rows)]

    def once() -> int:
        if phase == "openpyxl-read":
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            count = sum(1 for _values in workbook.worksheets[0].iter_rows(values_only=True))
            workbook.close()
            return count - 1
        if phase == "dry-run":
            return import_nominations(program=program, content=content,
                                      filename="usulan.xlsx", by=None, dry_run=True).checked
        if phase == "import":
            return import_nominations(program=program, content=content,
                                      filename="usulan.xlsx", by=None).created
        if phase == "bulk-create":
            for registration in objects:
                registration.pk = None
            with transaction.atomic():
                return len(Registration.objects.bulk_create(objects, batch_size=1000))
        for agency, level, nominee in nominees:  # one-by-one
            services.nominate(program=program, agency=agency, level=level, nominee=nominee,
                              by=None)
        return len(nominees)

    def clean() -> None:
        Registration.objects.filter(program=program).delete()

    clean()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times = []
    for _run in range(repeat):
        start = time.perf_counter()
        done = once()
        times.append(time.perf_counter() - start)
        assert done == work_rows, (phase, done, work_rows)
        clean()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    once()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    clean()
    scale = rows / work_rows
    return {"phase": phase, "rows": work_rows, "seconds": statistics.median(times) * scale,
            "seconds_min": min(times) * scale, "runs": times, "extrapolated": scale != 1,
            "tracemalloc_peak": peak, "maxrss": rss_after * 1024,
            "maxrss_growth": (rss_after - rss_before) * 1024}


def child(args: argparse.Namespace) -> None:
    setup_django(args.database_url, args.var_dir)
    workdir = Path(args.workdir)
    if args.child == "prepare":
        result = prepare(args.rows, workdir, args.strings)
    else:
        result = measure(args.child, args.rows, workdir, args.repeat, args.one_by_one)
    print(json.dumps(result))


# -- parent: databases, processes, the table ----------------------------------------------------

def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=10) as connection:
        connection.execute(sql)


def run_child(args, phase: str, database_url: str, workdir: Path) -> dict:
    command = [sys.executable, __file__, "--child", phase, "--rows", str(args.rows),
               "--repeat", str(args.repeat), "--one-by-one", str(args.one_by_one),
               "--strings", args.strings,
               "--database-url", database_url, "--workdir", str(workdir),
               "--var-dir", str(workdir / "var")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=3600, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{phase} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_database(args, database: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="kompeten-bench-import-") as tmp:
        workdir = Path(tmp)
        if database == "postgres":
            url = PG_URL
            pg_admin(f"DROP DATABASE IF EXISTS {PG_NAME}")
            pg_admin(f"CREATE DATABASE {PG_NAME}")
        else:
            url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        try:
            print(f"[{database}] preparing {args.rows} rows ...", file=sys.stderr)
            prepared = run_child(args, "prepare", url, workdir)
            results = {}
            for phase in PHASES:
                if phase == "one-by-one" and args.one_by_one <= 0:
                    continue
                print(f"[{database}] {phase} ...", file=sys.stderr)
                results[phase] = run_child(args, phase, url, workdir)
        finally:
            if database == "postgres":
                pg_admin(f"DROP DATABASE IF EXISTS {PG_NAME}")
    return {"database": database, **prepared, "phases": results}


def mib(value: float) -> str:
    return f"{value / 1024 / 1024:.1f}"


def report(args, runs: list[dict]) -> str:
    import django
    import openpyxl

    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    lines = [f"Nomination import benchmark: {args.rows} rows ({args.strings} strings), median "
             f"of {args.repeat} runs; Python {platform.python_version()}, Django "
             f"{django.get_version()}, openpyxl {openpyxl.__version__}, {platform.machine()} "
             f"{os.cpu_count()} CPUs, load average at the end {load}"]
    for run in runs:
        phases = run["phases"]
        lines += ["", f"{run['database']}: {run['agencies']} agencies, file "
                      f"{run['file_bytes'] / 1024:.0f} KiB",
                  f"{'phase':<14}{'seconds':>9}{'rows/s':>9}{'tracemalloc MiB':>17}"
                  f"{'maxrss MiB':>12}{'growth MiB':>12}",
                  "-" * 73]
        for name, result in phases.items():
            mark = "*" if result["extrapolated"] else " "
            lines.append(
                f"{name:<14}{result['seconds']:>8.2f}{mark}{args.rows / result['seconds']:>9.0f}"
                f"{mib(result['tracemalloc_peak']):>17}{mib(result['maxrss']):>12}"
                f"{mib(result['maxrss_growth']):>12}")
        read, dry, full = (phases[p]["seconds"] for p in ("openpyxl-read", "dry-run", "import"))
        bulk = phases["bulk-create"]["seconds"]
        lines += ["", "ratios: "
                  f"dry-run / openpyxl-read = {dry / read:.1f}x; "
                  f"import / (openpyxl-read + bulk-create) = {full / (read + bulk):.1f}x; "
                  f"import - dry-run = {full - dry:.2f} s vs bulk-create {bulk:.2f} s"]
        if "one-by-one" in phases:
            one = phases["one-by-one"]
            lines.append(f"one-by-one nominate(): {one['rows']} rows measured, "
                         f"{one['seconds'] / args.rows * 1000:.2f} ms/row -> "
                         f"{one['seconds']:.1f} s for {args.rows} (*) = "
                         f"{one['seconds'] / full:.1f}x the import")
    lines += ["", "seconds: wall time; tracemalloc: peak of Python allocations in the run; "
              "maxrss: peak resident memory of the process (incl. Django); growth: maxrss "
              "increase during the timed runs. (*) extrapolated."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one-by-one", type=int, default=300,
                        help="rows to nominate one at a time (0 = skip)")
    parser.add_argument("--strings", choices=["shared", "inline"], default="shared",
                        help="shared: the file as Excel saves it (shared strings, dimension; "
                             "default); inline: as openpyxl's write-only mode writes it")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--child", choices=["prepare", *PHASES], help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--var-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    runs = [bench_database(args, database) for database in databases]
    text = report(args, runs)
    print(text)
    if args.json:
        args.json.write_text(json.dumps({"rows": args.rows, "repeat": args.repeat,
                                         "strings": args.strings,
                                         "runs": runs, "table": text}, indent=2))


if __name__ == "__main__":
    main()
