"""Writes of the programs app: reference data, the programme, its schedule."""

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.forms import ModelForm
from django.utils.translation import gettext as _

from kompeten.common import pagecache
from kompeten.programs.models import (
    Agency,
    Batch,
    CompetencyUnit,
    JPKind,
    Level,
    Module,
    Program,
    ProgramJP,
    ProgramModule,
    ProgramQualification,
    ProgramQuota,
    ProgramStage,
    ProgramUnit,
    Qualification,
    QualificationScope,
    StageDate,
    StageKind,
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


JP_2019 = {JPKind.ELEARNING: 3, JPKind.CLASSROOM: 12, JPKind.EVALUATION: 6}
# Stages whose dates follow each level's own batches (the guide prints one timeline per
# level: JPT Pratama batches 1-3 in May, Pengawas 4-18 in July, Administrator 19-50 later).
LEVEL_TIMED_STAGES = {StageKind.ELEARNING, StageKind.CLASSROOM, StageKind.ASSESSMENT}
ELEARNING_DAYS = 7


@transaction.atomic
def create_program_2019() -> Program:
    """The 2019 programme of the source document with its stages, quotas, schedule and
    curriculum."""
    load_reference_data()
    program, created = Program.objects.get_or_create(
        code="2019",
        defaults={
            "year": 2019,
            "name": "Pelatihan dan Sertifikasi Kompetensi Teknis Manajemen ASN",
            "signatory_name": "Dr. Ahmad Jalis, M.A.",
            "signatory_nip": "196102121985091001",
            "signatory_title": "Kepala Pusat Pengembangan ASN",
        },
    )
    for kind, jp in JP_2019.items():
        ProgramJP.objects.get_or_create(program=program, kind=kind, defaults={"jp": jp})
    for row in _read_csv("tahapan-2019.csv"):
        ProgramStage.objects.get_or_create(
            program=program, number=int(row["no"]),
            defaults={
                "kind": row["jenis"], "date": dt.date.fromisoformat(row["tanggal"]),
                "end_date": dt.date.fromisoformat(row["selesai"]),
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
    if not StageDate.objects.filter(stage__program=program).exists():
        derive_level_dates(program=program)
    if not program.qualifications.exists() and not program.modules.exists():
        snapshot_curriculum(program=program)
    return program


@transaction.atomic
def derive_level_dates(*, program: Program) -> int:
    """Give e-learning, classroom and assessment stages each level's own dates, from
    that level's batches: the classroom days run from its first to its last batch,
    e-learning is the week before its first batch. Levels whose dates equal the
    stage's own get no row. Returns the number of rows written."""
    spans = (program.batches.values("level").annotate(
        first_start=Min("start_date"), last_start=Max("start_date"),
        first_end=Min("end_date"), last_end=Max("end_date")))
    stages = list(program.stages.filter(kind__in=LEVEL_TIMED_STAGES).order_by("number"))
    classroom = [s.number for s in stages if s.kind == StageKind.CLASSROOM]
    written = 0
    for span in spans:
        for stage in stages:
            if stage.kind == StageKind.ELEARNING:
                start = span["first_start"] - dt.timedelta(days=ELEARNING_DAYS)
                end = span["first_start"] - dt.timedelta(days=1)
            elif stage.kind == StageKind.CLASSROOM and len(classroom) == 1:
                start, end = span["first_start"], span["last_end"]
            elif stage.kind == StageKind.CLASSROOM and stage.number == classroom[0]:
                start, end = span["first_start"], span["last_start"]  # the first days
            else:  # the last days: later classroom stages and the assessment
                start, end = span["first_end"], span["last_end"]
            if (start, end) == (stage.date, stage.end_date):
                continue
            StageDate.objects.update_or_create(
                stage=stage, level_id=span["level"],
                defaults={"date": start, "end_date": end})
            written += 1
    return written


@transaction.atomic
def snapshot_curriculum(*, program: Program, source: Program | None = None) -> None:
    """Copy the curriculum into the programme: from ``source``'s own copy, or else from
    the master modules, qualifications and units."""
    if source is not None:
        modules, qualifications = source.modules.all(), source.qualifications.all()
    else:
        modules, qualifications = Module.objects.all(), Qualification.objects.all()
    ProgramModule.objects.bulk_create([
        ProgramModule(program=program, level_id=m.level_id, order=m.order, title=m.title)
        for m in modules])
    for qualification in qualifications.prefetch_related("units"):
        copy = ProgramQualification.objects.create(
            program=program, code=qualification.code, name=qualification.name,
            level_id=qualification.level_id, scope=qualification.scope)
        ProgramUnit.objects.bulk_create([
            ProgramUnit(qualification=copy, order=u.order, code=u.code, title=u.title)
            for u in qualification.units.all()])


def week_shift(*, anchor: dt.date, year: int) -> dt.timedelta:
    """The whole number of weeks that moves ``anchor`` to the same weekday nearest the
    same day of the year in ``year`` (2019-05-06, a Monday -> 2027-05-03, a Monday)."""
    same_day = dt.date(year, 1, 1) + dt.timedelta(days=anchor.timetuple().tm_yday - 1)
    offset = (anchor.weekday() - same_day.weekday()) % 7
    if offset > 3:
        offset -= 7
    return same_day + dt.timedelta(days=offset) - anchor


def program_anchor(*, program: Program) -> dt.date | None:
    """The date a copy is aligned on: the first batch, else the first stage."""
    first = program.batches.aggregate(first=Min("start_date"))["first"]
    return first or program.stages.aggregate(first=Min("date"))["first"]


@transaction.atomic
def copy_program(*, source: Program, year: int, code: str, name: str = "",
                 shift: dt.timedelta | None = None) -> Program:
    """A new programme like ``source``: policy, JP, stages (with per-level dates),
    quotas, batches and curriculum, every date moved by whole weeks so weekdays stay.

    ``shift`` defaults to week_shift() of the source's first batch into ``year``.
    """
    if Program.objects.filter(code=code).exists():
        raise ValidationError({"code": [_("Kode penyelenggaraan %(code)s sudah dipakai.")
                                        % {"code": code}]}, code="code_taken")
    if shift is None:
        anchor = program_anchor(program=source)
        shift = week_shift(anchor=anchor, year=year) if anchor else dt.timedelta(0)
    if shift.days % 7:
        raise ValueError("a programme is shifted by whole weeks only")
    target = Program(
        code=code, year=year, name=name or source.name,
        signatory_name=source.signatory_name, signatory_nip=source.signatory_nip,
        signatory_title=source.signatory_title, is_active=True, is_current=False,
        group_min_size=source.group_min_size, group_max_size=source.group_max_size,
        dorm_arrival_night_before=source.dorm_arrival_night_before,
        resume_min_chars=source.resume_min_chars, elearning_rule=source.elearning_rule,
    )
    target.full_clean()
    target.save()
    ProgramJP.objects.bulk_create([ProgramJP(program=target, kind=c.kind, jp=c.jp)
                                   for c in source.jp_components.all()])
    ProgramQuota.objects.bulk_create([
        ProgramQuota(program=target, level_id=q.level_id, seats_per_agency=q.seats_per_agency)
        for q in source.quotas.all()])
    for stage in source.stages.prefetch_related("level_dates"):
        copy = ProgramStage.objects.create(
            program=target, number=stage.number, kind=stage.kind, date=stage.date + shift,
            end_date=stage.end_date + shift, activity=stage.activity, note=stage.note)
        StageDate.objects.bulk_create([
            StageDate(stage=copy, level_id=d.level_id, date=d.date + shift,
                      end_date=d.end_date + shift) for d in stage.level_dates.all()])
    Batch.objects.bulk_create([
        Batch(program=target, number=b.number, level_id=b.level_id,
              start_date=b.start_date + shift, end_date=b.end_date + shift,
              capacity=b.capacity, venue=b.venue) for b in source.batches.all()])
    has_curriculum = source.qualifications.exists() or source.modules.exists()
    snapshot_curriculum(program=target, source=source if has_curriculum else None)
    return target


@transaction.atomic
def make_current(*, program: Program) -> None:
    """The programme the home pages show; only one at a time."""
    Program.objects.filter(is_current=True).exclude(pk=program.pk).update(is_current=False)
    Program.objects.filter(pk=program.pk).update(is_current=True)
    program.is_current = True


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
    created = form.instance.pk is None
    record = form.save()
    if isinstance(record, Agency) and not created and "name" in form.changed_data:
        pagecache.bump(pagecache.ANNOUNCEMENT)  # the public class lists show agency names
    if created and isinstance(record, Program):
        snapshot_curriculum(program=record)
    return record
