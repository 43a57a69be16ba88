"""Oral questions of a programme from an Excel file: columns kode_unit, pertanyaan,
jawaban_diharapkan; every row checked, all imported or none, with a row-by-row report. The
file is read and checked before the transaction starts."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from kompeten.assessment.services import add_question
from kompeten.common import spreadsheets
from kompeten.programs.models import Program, ProgramUnit
from kompeten.programs.schedule_import import RowError

LIMITS = spreadsheets.Limits(max_rows=2_000, max_columns=10)
COLUMNS = ("kode_unit", "pertanyaan", "jawaban_diharapkan")
MAX = {"pertanyaan": 1000, "jawaban_diharapkan": 2000}


class OralImportError(Exception):
    def __init__(self, message: str, errors: list[RowError] | tuple = ()):
        super().__init__(message)
        self.message = message
        self.errors = list(errors)


@dataclass(frozen=True)
class Row:
    unit: ProgramUnit
    question: str
    expected_answer: str


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def check_file(*, program: Program, content: bytes, filename: str) -> list[Row]:
    try:
        rows = spreadsheets.read_rows(content=content, filename=filename, limits=LIMITS)
    except spreadsheets.SpreadsheetError as exc:
        raise OralImportError(exc.message) from exc
    header = [_text(cell).lower().replace(" ", "_") for cell in rows[0]]
    missing = [key for key in COLUMNS if key not in header]
    if missing:
        raise OralImportError(_("Kolom wajib tidak ada: %(columns)s.")
                              % {"columns": ", ".join(missing)})
    units: dict[str, list[ProgramUnit]] = {}
    for unit in ProgramUnit.objects.filter(qualification__program=program):
        units.setdefault(unit.code.casefold(), []).append(unit)
    checked, errors = [], []
    for number, raw in enumerate(rows[1:], start=2):
        values = {key: _text(raw[header.index(key)]) if header.index(key) < len(raw) else ""
                  for key in COLUMNS}
        if not any(values.values()):
            continue
        for key in COLUMNS:
            if not values[key]:
                errors.append(RowError(number, key, _("wajib diisi")))
            elif len(values[key]) > MAX.get(key, 40):
                errors.append(RowError(number, key, _("lebih dari %(max)s karakter")
                                       % {"max": MAX.get(key, 40)}))
        found = units.get(values["kode_unit"].casefold(), [])
        if values["kode_unit"] and len(found) != 1:
            errors.append(RowError(number, "kode_unit", _(
                "tidak ada unit berkode ini di penyelenggaraan %(program)s") % {
                "program": program.code} if not found else _(
                "kode ini dipakai beberapa kualifikasi")))
        if found and len(found) == 1 and all(values.values()):
            checked.append(Row(found[0], values["pertanyaan"], values["jawaban_diharapkan"]))
    if errors:
        raise OralImportError(_("%(count)s kesalahan; tidak ada pertanyaan yang diimpor.")
                              % {"count": len(errors)}, errors)
    if not checked:
        raise OralImportError(_("Berkas tidak berisi baris pertanyaan."))
    return checked


def import_oral_questions(*, program: Program, content: bytes, filename: str) -> int:
    rows = check_file(program=program, content=content, filename=filename)
    with transaction.atomic():
        for row in rows:
            add_question(unit=row.unit, question=row.question,
                         expected_answer=row.expected_answer)
    return len(rows)

