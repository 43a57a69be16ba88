"""Nominations from an Excel file: reading, checking every row, importing all or nothing.

An organiser's file names each row's agency (column kode_instansi); an operator's
rows are for the operator's own agency (the column may be absent, empty or equal to
that agency's code). Every bad row is reported as (row, column, reason) and nothing
is written while any row is bad. A good file is written in one transaction with a
fixed number of queries per 900 rows, so 10,000 rows import in seconds.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Upper
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.accounts.models import User
from kompeten.common import spreadsheets
from kompeten.nominations.services import (
    Nominee,
    check_nomination_open,
    check_nominee,
    duplicate_message,
)
from kompeten.programs.models import Agency, Level, Program
from kompeten.programs.schedule_import import RowError
from kompeten.registration.models import Registration, Status

MAX_ROWS = 20_000
# Empty rows count toward MAX_ROWS too; the template has 10 columns.
LIMITS = spreadsheets.Limits(max_rows=MAX_ROWS, max_columns=50)
# Rows per query when looking up codes, NIPs and seats (SQLite allows 999 parameters).
CHUNK = 900
SHEET_NAME = "Usulan"


@dataclass(frozen=True)
class Column:
    key: str
    help: str
    example: str
    width: int


EXAMPLE_NIP = "197804122005011003"
EXAMPLE_NAME = "Drs. Agus Pratama, M.Si."

COLUMNS = (
    Column("kode_instansi", gettext_lazy(
        "Kode instansi seperti pada daftar instansi. Wajib pada berkas penyelenggara; operator "
        "instansi boleh mengosongkannya (baris dianggap untuk instansinya sendiri)."),
        "PROV-01", 16),
    Column("jenjang", gettext_lazy("Jenjang jabatan: JPT Pratama, Administrator atau Pengawas."),
           "Pengawas", 16),
    Column("nip", gettext_lazy("18 angka, ditulis sebagai teks (bukan angka) agar Excel tidak "
                               "membulatkannya."), EXAMPLE_NIP, 22),
    Column("pppk", gettext_lazy("“ya” bila pegawai PPPK, “tidak” atau kosong bila PNS."),
           "tidak", 8),
    Column("jenis_kelamin", gettext_lazy("L atau P. Wajib hanya untuk PPPK; NIP PNS sudah "
                                         "memuat jenis kelamin."), "", 14),
    Column("nama_lengkap", gettext_lazy("Nama lengkap dengan gelar seperti pada SK."),
           EXAMPLE_NAME, 32),
    Column("jabatan", gettext_lazy("Jabatan saat ini."),
           "Kepala Subbidang Pengembangan Kompetensi", 40),
    Column("unit_kerja", gettext_lazy("Unit kerja (boleh kosong)."),
           "Bidang Pengembangan Aparatur", 32),
    Column("email", gettext_lazy("Alamat e-mail pribadi peserta untuk undangan."),
           "agus.pratama@instansi.go.id", 30),
    Column("no_hp", gettext_lazy("Nomor HP (boleh kosong), mis. 081310713132."),
           "081310713132", 16),
)
COLUMN_KEYS = [column.key for column in COLUMNS]
REQUIRED_COLUMNS = ("jenjang", "nip", "nama_lengkap", "jabatan", "email")
HEADER_ALIASES = {
    "instansi": "kode_instansi", "kode": "kode_instansi", "level": "jenjang",
    "jk": "jenis_kelamin", "nama": "nama_lengkap", "e_mail": "email", "hp": "no_hp",
    "nomor_hp": "no_hp", "no_telepon": "no_hp",
}
# check_nominee's field keys -> the file's columns
FIELD_COLUMNS = {"nip": "nip", "gender": "jenis_kelamin", "full_name": "nama_lengkap",
                 "position": "jabatan", "work_unit": "unit_kerja", "email": "email",
                 "phone": "no_hp"}
MAX_LENGTHS = {"full_name": 200, "position": 250, "work_unit": 250, "email": 254}
YES = {"ya", "y", "yes", "1", "true", "benar"}
NO = {"tidak", "t", "no", "n", "0", "false", "salah", ""}


class NominationImportError(Exception):
    """Nothing was imported: a problem with the whole file, or bad rows (errors)."""

    def __init__(self, message: str, errors: Sequence[RowError] = ()):
        super().__init__(message)
        self.message = message
        self.errors = list(errors)


@dataclass(frozen=True)
class NominationImportResult:
    checked: int
    created: int  # 0 in a dry run
    dry_run: bool
    by_level: dict[str, int]
    agencies: int

    def summary(self) -> str:
        levels = ", ".join(f"{name} {count}" for name, count in self.by_level.items())
        if self.dry_run:
            return _("Pemeriksaan saja: %(rows)s baris benar (%(levels)s; %(agencies)s instansi); "
                     "tidak ada yang disimpan.") % {
                "rows": self.checked, "levels": levels, "agencies": self.agencies}
        return _("%(rows)s usulan diimpor (%(levels)s; %(agencies)s instansi).") % {
            "rows": self.created, "levels": levels, "agencies": self.agencies}


@dataclass
class _Row:
    row: int
    agency_code: str
    level_text: str
    nip: str
    fields: dict | None  # check_nominee's output; None when the nominee's data is bad
    agency: Agency | None = None
    level: Level | None = None
    seat: int | None = None
    # A repeated or already registered NIP is no further nominee and takes no seat.
    takes_seat: bool = True


@dataclass
class _Check:
    rows: list[_Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def bad(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))


# -- reading ---------------------------------------------------------------------------------

def _normalise_header(cell: object) -> str:
    key = str(cell or "").strip().lower().rstrip("*").strip()
    key = key.replace(" ", "_").replace("-", "_")
    return HEADER_ALIASES.get(key, key)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def read_rows(*, content: bytes, filename: str, agency_column_required: bool
              ) -> list[tuple[int, dict[str, object]]]:
    """(row number as Excel shows it, {column: cell value}) for each non-empty data row."""
    if not filename.lower().endswith(".xlsx"):
        raise NominationImportError(_("Jenis berkas tidak didukung: unggah berkas Excel (.xlsx), "
                                      "sebaiknya dari templat usulan."))
    try:
        raw_rows = spreadsheets.read_rows(content=content, filename=filename, limits=LIMITS,
                                          formats=("xlsx",), sheet_name=SHEET_NAME)
    except spreadsheets.SpreadsheetError as exc:
        raise NominationImportError(exc.message) from exc
    return _table(iter(raw_rows), agency_column_required)


def _table(raw_rows: Iterator[tuple], agency_column_required: bool
           ) -> list[tuple[int, dict[str, object]]]:
    header_row = next(raw_rows, None)
    header = [_normalise_header(cell) for cell in header_row or ()]
    if not any(header):
        raise NominationImportError(_("Berkas kosong: baris 1 harus berisi nama kolom seperti "
                                      "pada templat."))
    seen = [key for key in header if key]
    doubled = sorted({key for key in seen if seen.count(key) > 1})
    if doubled:
        raise NominationImportError(_("Kolom ganda: %(columns)s.")
                                    % {"columns": ", ".join(doubled)})
    required = (("kode_instansi",) if agency_column_required else ()) + REQUIRED_COLUMNS
    missing = [key for key in required if key not in header]
    if missing:
        raise NominationImportError(
            _("Kolom wajib tidak ada: %(columns)s. Gunakan templat dari halaman impor.")
            % {"columns": ", ".join(missing)})
    positions = [(index, key) for index, key in enumerate(header) if key in COLUMN_KEYS]
    table = []
    for number, raw in enumerate(raw_rows, start=2):
        values = {key: raw[index] for index, key in positions if index < len(raw)}
        if not any(_text(value) for value in values.values()):
            continue
        if len(table) >= MAX_ROWS:
            raise NominationImportError(_("Berkas berisi lebih dari %(max)s baris usulan; bagi "
                                          "menjadi beberapa berkas.") % {"max": MAX_ROWS})
        table.append((number, values))
    if not table:
        raise NominationImportError(_("Berkas tidak berisi baris usulan (baris 2 dan seterusnya "
                                      "kosong)."))
    return table


# -- checking each row on its own ------------------------------------------------------------

def _check_row(check: _Check, number: int, values: dict[str, object], *,
               own_agency: Agency | None, first_row_of_nip: dict[str, int]) -> None:
    text = {key: _text(values.get(key)) for key in COLUMN_KEYS}
    agency_code = text["kode_instansi"]
    if own_agency is None and not agency_code:
        check.bad(number, "kode_instansi", _("kode instansi wajib diisi"))
    elif own_agency is not None:
        if agency_code and agency_code.casefold() != own_agency.code.casefold():
            check.bad(number, "kode_instansi", _(
                "kode instansi “%(code)s” bukan instansi Anda (%(own)s); operator hanya dapat "
                "mengusulkan pegawai instansinya sendiri")
                % {"code": agency_code, "own": own_agency.code})
        agency_code = own_agency.code

    pppk_text = text["pppk"].casefold()
    is_pppk = pppk_text in YES
    if not is_pppk and pppk_text not in NO:
        check.bad(number, "pppk", _("isi “ya” atau “tidak”, bukan “%(value)s”")
                  % {"value": text["pppk"]})
    gender = text["jenis_kelamin"].upper()
    gender = {"LAKI-LAKI": "L", "PEREMPUAN": "P"}.get(gender, gender)
    if gender and gender not in ("L", "P"):
        check.bad(number, "jenis_kelamin", _("isi L (laki-laki) atau P (perempuan), bukan "
                                             "“%(value)s”") % {"value": text["jenis_kelamin"]})
        gender = ""

    raw_nip = values.get("nip")
    nip = text["nip"].replace(" ", "")
    if nip == EXAMPLE_NIP and text["nama_lengkap"] == EXAMPLE_NAME:
        # Reported once, and it takes no quota seat.
        check.bad(number, "nip", _("ini baris contoh dari templat; hapus baris ini atau ganti "
                                   "dengan data peserta"))
        return
    fields = None
    if isinstance(raw_nip, float):
        check.bad(number, "nip", _(
            "NIP tersimpan sebagai angka sehingga Excel membulatkannya (%(value)s); format kolom "
            "nip sebagai Teks lalu ketik ulang NIP") % {"value": f"{raw_nip:.0f}"})
    else:
        nominee = Nominee(nip=nip, full_name=text["nama_lengkap"], position=text["jabatan"],
                          email=text["email"], work_unit=text["unit_kerja"],
                          phone=text["no_hp"], is_pppk=is_pppk, gender=gender)
        try:
            fields = check_nominee(nominee)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    check.bad(number, FIELD_COLUMNS.get(name, "nip"), message)
        else:
            nip = fields["nip"]
            if not is_pppk and gender and gender != fields["gender"]:
                check.bad(number, "jenis_kelamin", _(
                    "jenis kelamin %(given)s tidak sesuai NIP (angka ke-15 menunjukkan "
                    "%(nip)s); kosongkan kolom ini untuk PNS")
                    % {"given": gender, "nip": fields["gender"]})
    for name, limit in MAX_LENGTHS.items():
        column = FIELD_COLUMNS[name]
        if len(text[column]) > limit:
            check.bad(number, column, _("terlalu panjang: %(length)s karakter (maksimal "
                                        "%(max)s)") % {"length": len(text[column]), "max": limit})
            fields = None
    takes_seat = True
    if nip:
        if nip in first_row_of_nip:
            check.bad(number, "nip", _("NIP %(nip)s ganda: sudah ada di baris %(row)s")
                      % {"nip": nip, "row": first_row_of_nip[nip]})
            takes_seat = False
        else:
            first_row_of_nip[nip] = number
    check.rows.append(_Row(row=number, agency_code=agency_code, level_text=text["jenjang"],
                           nip=nip, fields=fields, takes_seat=takes_seat))


def check_rows(table: Iterable[tuple[int, dict[str, object]]], *,
               own_agency: Agency | None) -> _Check:
    """Every check that needs no database: NIP rules, values, duplicates within the file."""
    check = _Check()
    first_row_of_nip: dict[str, int] = {}
    for number, values in table:
        _check_row(check, number, values, own_agency=own_agency,
                   first_row_of_nip=first_row_of_nip)
    return check


# -- checking against the database -----------------------------------------------------------

def _chunks(items: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _resolve(check: _Check, *, own_agency: Agency | None) -> None:
    """Agencies and levels of the rows (a query per 900 distinct agency codes)."""
    all_levels = list(Level.objects.all())
    levels: dict[str, Level] = {}
    for level in all_levels:
        levels[level.name.casefold()] = levels[level.code.casefold()] = level
    choices = ", ".join(level.name for level in all_levels)
    if own_agency is not None:
        agencies = {own_agency.code.upper(): own_agency}
    else:
        # Codes are matched regardless of case ("prov-01" is PROV-01).
        codes = sorted({row.agency_code.upper() for row in check.rows if row.agency_code})
        agencies = {}
        for chunk in _chunks(codes):
            agencies.update((agency.code.upper(), agency) for agency in (
                Agency.objects.annotate(code_upper=Upper("code")).filter(code_upper__in=chunk)))
    for row in check.rows:
        if row.agency_code:
            row.agency = agencies.get(row.agency_code.upper())
            if row.agency is None:
                check.bad(row.row, "kode_instansi", _("kode instansi “%(code)s” tidak dikenal")
                          % {"code": row.agency_code})
        if not row.level_text:
            check.bad(row.row, "jenjang", _("jenjang wajib diisi (pilihan: %(choices)s)")
                      % {"choices": choices})
        else:
            row.level = levels.get(row.level_text.casefold())
            if row.level is None:
                check.bad(row.row, "jenjang", _("jenjang “%(level)s” tidak dikenal (pilihan: "
                                                "%(choices)s)")
                          % {"level": row.level_text, "choices": choices})


def _lock_agencies(agency_ids: list[int]) -> None:
    """Lock the agencies in one global order, as nominate() does, so imports queue up."""
    for chunk in _chunks(sorted(agency_ids)):
        list(Agency.objects.select_for_update().filter(pk__in=chunk).order_by("pk")
             .values_list("pk", flat=True))


def _check_registered(check: _Check, *, program: Program, by: User | None) -> None:
    nips = sorted({row.nip for row in check.rows if row.nip})
    existing: dict[str, Registration] = {}
    for chunk in _chunks(nips):
        existing.update((registration.nip, registration) for registration in (
            Registration.objects.filter(program=program, nip__in=chunk)
            .select_related("agency", "level")))
    for row in check.rows:
        if row.nip in existing:
            check.bad(row.row, "nip",
                      duplicate_message(existing[row.nip], viewer=by).rstrip("."))
            row.takes_seat = False


def _assign_seats(check: _Check, *, program: Program) -> None:
    """Give each row a free quota seat; rows beyond the quota are errors.

    Rows with other mistakes (a mistyped NIP) still count: they are meant as nominees.
    """
    seats = dict(program.quotas.values_list("level_id", "seats_per_agency"))
    agency_ids = sorted({row.agency.pk for row in check.rows if row.agency})
    taken: dict[tuple[int, int], set[int]] = defaultdict(set)
    for chunk in _chunks(agency_ids):
        for agency_id, level_id, seat in (
                Registration.objects.filter(program=program, agency_id__in=chunk)
                .exclude(status=Status.DECLINED).values_list("agency_id", "level_id", "seat")):
            taken[agency_id, level_id].add(seat)
    free: dict[tuple[int, int], list[int]] = {}
    earlier: dict[tuple[int, int], list[int]] = defaultdict(list)
    for row in check.rows:
        if row.agency is None or row.level is None or not row.takes_seat:
            continue
        key = (row.agency.pk, row.level.pk)
        total = seats.get(row.level.pk, 0)
        if key not in free:
            free[key] = [seat for seat in range(total, 0, -1) if seat not in taken[key]]
        if free[key]:
            row.seat = free[key].pop()
        elif total == 0:
            check.bad(row.row, "jenjang", _("jenjang %(level)s tidak mempunyai kuota dalam "
                                            "penyelenggaraan ini") % {"level": row.level.name})
        else:
            check.bad(row.row, "jenjang", _quota_message(
                row, total=total, existing=len(taken[key]), earlier_rows=earlier[key]))
        earlier[key].append(row.row)


def _quota_message(row: _Row, *, total: int, existing: int, earlier_rows: list[int]) -> str:
    used_by = []
    if existing:
        used_by.append(_("%(count)s usulan yang sudah ada") % {"count": existing})
    if earlier_rows:
        shown = ", ".join(str(number) for number in earlier_rows[:5])
        if len(earlier_rows) > 5:
            shown += ", …"
        used_by.append(_("baris %(rows)s di berkas ini") % {"rows": shown})
    return _("kuota %(level)s untuk %(agency)s hanya %(seats)s kursi dan sudah terpakai oleh "
             "%(used_by)s") % {"level": row.level.name, "agency": row.agency.name,
                               "seats": total, "used_by": _(" dan ").join(used_by)}


def _ordered(errors: list[RowError]) -> list[RowError]:
    return sorted(errors, key=lambda error: (error.row, COLUMN_KEYS.index(error.column)
                                             if error.column in COLUMN_KEYS else 99))


# -- the service -----------------------------------------------------------------------------

def import_nominations(*, program: Program, content: bytes, filename: str, by: User | None,
                       agency: Agency | None = None, dry_run: bool = False
                       ) -> NominationImportResult:
    """Check a nomination file and, unless dry_run, create all its rows or none.

    agency=None: the organiser's file (kode_instansi per row). agency given: an
    operator's file for that agency. Raises NominationImportError with the file
    problem or every bad row; the agencies involved are locked while seats are
    counted, and the database constraints back up the NIP and seat checks.
    The file is read and its rows checked before the transaction starts, so a slow
    file never holds the database's write lock.
    """
    try:
        check_nomination_open(program=program, by=by)
    except ValidationError as exc:
        raise NominationImportError(exc.messages[0]) from exc
    table = read_rows(content=content, filename=filename,
                      agency_column_required=agency is None)
    check = check_rows(table, own_agency=agency)
    return _check_and_save(check, program=program, by=by, agency=agency, dry_run=dry_run)


@transaction.atomic
def _check_and_save(check: _Check, *, program: Program, by: User | None, agency: Agency | None,
                    dry_run: bool) -> NominationImportResult:
    _resolve(check, own_agency=agency)
    if not dry_run:
        _lock_agencies(list({row.agency.pk for row in check.rows if row.agency}))
    _check_registered(check, program=program, by=by)
    _assign_seats(check, program=program)
    if check.errors:
        errors = _ordered(check.errors)
        raise NominationImportError(
            _("%(count)s kesalahan di %(rows)s baris; tidak ada usulan yang diimpor.")
            % {"count": len(errors), "rows": len({error.row for error in errors})}, errors)
    by_level: dict[str, int] = {}
    for row in sorted(check.rows, key=lambda row: row.level.order):
        by_level[row.level.name] = by_level.get(row.level.name, 0) + 1
    agencies = len({row.agency.pk for row in check.rows})
    if dry_run:
        return NominationImportResult(checked=len(check.rows), created=0, dry_run=True,
                                      by_level=by_level, agencies=agencies)
    registrations = [
        Registration(program=program, agency=row.agency, level=row.level, seat=row.seat,
                     nominated_by=by, **row.fields)
        for row in check.rows]
    try:
        with transaction.atomic():
            Registration.objects.bulk_create(registrations, batch_size=1000)
    except IntegrityError as exc:
        raise NominationImportError(_(
            "Usulan lain untuk NIP atau kursi kuota yang sama tersimpan bersamaan dengan impor "
            "ini; tidak ada usulan yang diimpor. Unggah ulang berkas untuk melihat baris yang "
            "bermasalah.")) from exc
    return NominationImportResult(checked=len(check.rows), created=len(registrations),
                                  dry_run=False, by_level=by_level, agencies=agencies)
