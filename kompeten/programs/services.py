"""Writes of the programs app: reference data, the programme, its schedule."""

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.forms import ModelForm
from django.utils.translation import gettext as _

from kompeten.programs.models import (
    Batch,
    CompetencyUnit,
    Level,
    Module,
    Program,
    ProgramQuota,
    ProgramStage,
    Qualification,
    QualificationScope,
)
from kompeten.programs.schedule_import import (
    ParsedSchedule,
    RowError,
    parse_schedule,
    read_table,
)

DATA_DIR = Path(__file__).resolve().parent / "data"

LEVELS = [
    ("jpt-pratama", "JPT Pratama", 1),
    ("administrator", "Administrator", 2),
    ("pengawas", "Pengawas", 3),
]
# qualification name in unit-kompetensi.csv -> (code, level code, scope, demo code prefix)
QUALIFICATIONS = {
    "JPT Pratama BKN": ("jpt-pratama-bkn", "jpt-pratama", QualificationScope.BKN, "JPTB"),
    "JPT Pratama Instansi K/L dan Daerah": (
        "jpt-pratama-kl-daerah", "jpt-pratama", QualificationScope.NON_BKN, "JPTD"),
    "Administrator": ("administrator", "administrator", QualificationScope.ALL, "ADM"),
    "Pengawas": ("pengawas", "pengawas", QualificationScope.ALL, "PGW"),
}


class ScheduleImportRejected(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} bad rows")
        self.errors = errors


@dataclass(frozen=True)
class ScheduleImportResult:
    created: int
    updated: int


def _read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def load_reference_data() -> None:
    """Levels, qualifications with their units, and modules, from the 2019 guide.

    Idempotent: existing records are matched by their natural keys and kept
    (an organiser's edits to codes or titles are not overwritten).
    """
    levels = {}
    for code, name, order in LEVELS:
        levels[code], _created = Level.objects.get_or_create(
            code=code, defaults={"name": name, "order": order}
        )
    qualifications = {}
    for name, (code, level_code, scope, _prefix) in QUALIFICATIONS.items():
        qualifications[name], _created = Qualification.objects.get_or_create(
            code=code, defaults={"name": name, "level": levels[level_code], "scope": scope}
        )
    for row in _read_csv("unit-kompetensi.csv"):
        qualification = qualifications[row["kualifikasi"]]
        prefix = QUALIFICATIONS[row["kualifikasi"]][3]
        order = int(row["no"])
        CompetencyUnit.objects.get_or_create(
            qualification=qualification, order=order,
            defaults={
                "code": f"DEMO.{prefix}.{order:02d}", "title": row["judul_unit"],
                "code_is_demo": True,
            },
        )
    levels_by_name = {level.name: level for level in levels.values()}
    for row in _read_csv("modul.csv"):
        Module.objects.get_or_create(
            level=levels_by_name[row["jenjang"]], order=int(row["no"]),
            defaults={"title": row["nama_modul"]},
        )


@transaction.atomic
def create_program_2019() -> Program:
    """The 2019 programme of the source document with its stages, quotas and schedule."""
    load_reference_data()
    program, _created = Program.objects.get_or_create(
        year=2019,
        defaults={
            "name": "Pelatihan dan Sertifikasi Kompetensi Teknis Manajemen ASN",
            "jp_elearning": 3, "jp_classroom": 12, "jp_evaluation": 6,
            "signatory_name": "Dr. Ahmad Jalis, M.A.",
            "signatory_nip": "196102121985091001",
            "signatory_title": "Kepala Pusat Pengembangan ASN",
        },
    )
    for row in _read_csv("tahapan-2019.csv"):
        ProgramStage.objects.get_or_create(
            program=program, number=int(row["no"]),
            defaults={
                "date": dt.date.fromisoformat(row["tanggal"]),
                "activity": row["kegiatan"], "note": row["catatan"],
            },
        )
    for level in Level.objects.all():
        ProgramQuota.objects.get_or_create(
            program=program, level=level, defaults={"seats_per_agency": 1}
        )
    if not program.batches.exists():
        content = (DATA_DIR / "jadwal-2019.csv").read_bytes()
        import_schedule(program=program, content=content, filename="jadwal-2019.csv",
                        venue_default="Pusbang ASN BKN, Ciawi, Bogor")
    return program


def check_schedule(*, content: bytes, filename: str) -> ParsedSchedule:
    """Parse and check a schedule file without writing anything."""
    table = read_table(content=content, filename=filename)
    level_names = set(Level.objects.values_list("name", flat=True))
    return parse_schedule(table, level_names=level_names)


def import_schedule(
    *, program: Program, content: bytes, filename: str, venue_default: str = ""
) -> ScheduleImportResult:
    """Create or update the programme's batches from a file, all rows or none.

    Raises ScheduleFileError when the file is unreadable and
    ScheduleImportRejected (with every bad row) when any row is bad. The file is read
    before the transaction starts, so a slow file never holds the database's write lock.
    """
    table = read_table(content=content, filename=filename)
    return _save_schedule(program=program, table=table, venue_default=venue_default)


@transaction.atomic
def _save_schedule(
    *, program: Program, table: list[tuple[int, dict[str, str]]], venue_default: str
) -> ScheduleImportResult:
    parsed = parse_schedule(table, level_names=set(Level.objects.values_list("name", flat=True)))
    if parsed.errors:
        raise ScheduleImportRejected(parsed.errors)
    levels = {level.name: level for level in Level.objects.all()}
    existing = {batch.number: batch for batch in program.batches.select_for_update()}
    created = updated = 0
    for row in parsed.rows:
        values = {
            "level": levels[row.level_name], "start_date": row.start_date,
            "end_date": row.end_date, "capacity": row.capacity,
            "venue": row.venue or venue_default,
        }
        batch = existing.get(row.number)
        if batch is None:
            Batch.objects.create(program=program, number=row.number, **values)
            created += 1
        else:
            for name, value in values.items():
                setattr(batch, name, value)
            batch.full_clean(exclude=["program"], validate_unique=False)
            batch.save()
            updated += 1
    return ScheduleImportResult(created=created, updated=updated)


@transaction.atomic
def save_master_record(*, form: ModelForm):
    """Save a validated master-data form (the form has already run full_clean)."""
    if not form.is_valid():
        raise ValueError(_("Formulir tidak valid."))
    return form.save()
