"""Reading and checking a batch schedule file (CSV or Excel).

A file is imported whole or not at all: every bad row is reported with its row
number, and nothing is written while any row is bad.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kompeten.common import spreadsheets

# Accepted column names (Indonesian first, English aliases) -> field.
COLUMN_ALIASES = {
    "angkatan": "number", "no_angkatan": "number", "batch": "number", "number": "number",
    "jenjang": "level", "level": "level",
    "tanggal_mulai": "start_date", "mulai": "start_date", "start_date": "start_date",
    "tanggal_selesai": "end_date", "selesai": "end_date", "end_date": "end_date",
    "jumlah_peserta": "capacity", "kapasitas": "capacity", "capacity": "capacity",
    "tempat": "venue", "venue": "venue",
}
# A programme has about 50 batches a year.
LIMITS = spreadsheets.Limits(max_rows=2_000, max_columns=30)
REQUIRED_FIELDS = ("number", "level", "start_date", "end_date")
FIELD_LABELS = {
    "number": "angkatan", "level": "jenjang", "start_date": "tanggal_mulai",
    "end_date": "tanggal_selesai", "capacity": "jumlah_peserta", "venue": "tempat",
}


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet shows it: the header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        return _("Baris %(row)s, kolom %(column)s: %(message)s") % {
            "row": self.row, "column": self.column, "message": self.message,
        }


@dataclass(frozen=True)
class ScheduleRow:
    row: int
    number: int
    level_name: str
    start_date: dt.date
    end_date: dt.date
    capacity: int
    venue: str


@dataclass
class ParsedSchedule:
    rows: list[ScheduleRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


class ScheduleFileError(Exception):
    """The file cannot be read as a schedule at all."""


def read_table(*, content: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    """Return (row number, {field: text}) for each non-empty data row."""
    try:
        raw_rows = spreadsheets.read_rows(content=content, filename=filename, limits=LIMITS)
    except spreadsheets.SpreadsheetError as exc:
        raise ScheduleFileError(exc.message) from exc
    header = [_normalise_header(cell) for cell in raw_rows[0]]
    fields = [COLUMN_ALIASES.get(column) for column in header]
    missing = [FIELD_LABELS[f] for f in REQUIRED_FIELDS if f not in fields]
    if missing:
        raise ScheduleFileError(
            _("Kolom wajib tidak ada: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    table = []
    for index, raw in enumerate(raw_rows[1:], start=2):
        values = {f: _cell_text(v) for f, v in zip(fields, raw, strict=False) if f}
        if any(values.values()):
            table.append((index, values))
    if not table:
        raise ScheduleFileError(spreadsheets.no_data_rows().message)
    return table


def parse_schedule(
    table: list[tuple[int, dict[str, str]]], *, level_names: set[str]
) -> ParsedSchedule:
    """Check every row; known levels are matched case-insensitively."""
    levels_by_key = {name.casefold(): name for name in level_names}
    result = ParsedSchedule()
    first_row_of_number: dict[int, int] = {}
    for row_number, values in table:
        errors_before = len(result.errors)

        def bad(field_name: str, message: str, row_number: int = row_number) -> None:
            result.errors.append(RowError(row_number, FIELD_LABELS[field_name], message))

        number = _parse_positive_int(values.get("number", ""))
        if number is None:
            bad("number", _("harus berupa bilangan bulat positif"))
        elif number in first_row_of_number:
            bad("number", _("angkatan %(number)s ganda (sudah ada di baris %(row)s)")
                % {"number": number, "row": first_row_of_number[number]})
        else:
            first_row_of_number[number] = row_number

        level_text = values.get("level", "").strip()
        level_name = levels_by_key.get(level_text.casefold())
        if level_name is None:
            bad("level", _("jenjang “%(level)s” tidak dikenal (pilihan: %(choices)s)")
                % {"level": level_text, "choices": ", ".join(sorted(level_names))})

        start = _parse_date(values.get("start_date", ""))
        if start is None:
            bad("start_date", _("tanggal tidak valid (format TTTT-BB-HH atau HH/BB/TTTT)"))
        end = _parse_date(values.get("end_date", ""))
        if end is None:
            bad("end_date", _("tanggal tidak valid (format TTTT-BB-HH atau HH/BB/TTTT)"))
        if start and end and end < start:
            bad("end_date", _("tanggal selesai sebelum tanggal mulai"))

        capacity_text = values.get("capacity", "").strip()
        capacity = _parse_positive_int(capacity_text) if capacity_text else 30
        if capacity is None:
            bad("capacity", _("harus berupa bilangan bulat lebih dari 0"))

        if len(result.errors) == errors_before:
            result.rows.append(ScheduleRow(
                row=row_number, number=number, level_name=level_name, start_date=start,
                end_date=end, capacity=capacity, venue=values.get("venue", "").strip(),
            ))
    return result


def _normalise_header(cell: object) -> str:
    return str(cell or "").strip().lower().replace(" ", "_")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _parse_positive_int(text: str) -> int | None:
    text = text.strip()
    if not text.isdigit() or int(text) <= 0 or int(text) > 32767:
        return None
    return int(text)


def _parse_date(text: str) -> dt.date | None:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None
