"""Questions of one competency unit from an Excel file: every row checked, all imported or
none, with a row-by-row report (like the nomination import)."""

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from kompeten.accounts.models import User
from kompeten.common import spreadsheets
from kompeten.exam.models import OPTION_MAX, TEXT_MAX, Question, QuestionKind
from kompeten.exam.services import QuestionData, check_question, create_question
from kompeten.programs.curriculum_models import ProgramUnit
from kompeten.programs.models import Program
from kompeten.programs.schedule_import import RowError

MAX_ROWS = 2_000
LIMITS = spreadsheets.Limits(max_rows=MAX_ROWS, max_columns=30)
SHEET_NAME = "Soal"
LETTERS = "ABCDE"
KINDS = {"pg": QuestionKind.MULTIPLE_CHOICE, "pilihan ganda": QuestionKind.MULTIPLE_CHOICE,
         "mc": QuestionKind.MULTIPLE_CHOICE, "esai": QuestionKind.ESSAY,
         "essay": QuestionKind.ESSAY, "uraian": QuestionKind.ESSAY}


@dataclass(frozen=True)
class Column:
    key: str
    help: str
    example: str
    width: int


COLUMNS = (
    Column("jenis", gettext_lazy("PG (pilihan ganda) atau esai."), "PG", 8),
    Column("pertanyaan", gettext_lazy("Teks soal (maksimal 2000 karakter)."),
           "Asas penyelenggaraan manajemen ASN yang menjamin pengangkatan berdasarkan "
           "kualifikasi, kompetensi dan kinerja adalah …", 60),
    Column("pilihan_a", gettext_lazy("Pilihan A (PG)."), "sistem merit", 24),
    Column("pilihan_b", gettext_lazy("Pilihan B (PG)."), "sistem karier tertutup", 24),
    Column("pilihan_c", gettext_lazy("Pilihan C (PG)."), "sistem patronase", 24),
    Column("pilihan_d", gettext_lazy("Pilihan D (PG)."), "sistem senioritas", 24),
    Column("pilihan_e", gettext_lazy("Pilihan E (PG, boleh kosong)."), "", 24),
    Column("kunci", gettext_lazy("Huruf pilihan yang benar: A–E (PG)."), "A", 8),
    Column("pembahasan", gettext_lazy("Pembahasan (boleh kosong)."),
           "UU ASN: manajemen ASN diselenggarakan berdasarkan sistem merit.", 40),
    Column("pokok_jawaban", gettext_lazy("Pokok jawaban yang diharapkan (esai)."), "", 40),
    Column("skor_maks", gettext_lazy("Skor maksimal esai 1–100 (kosong: 10)."), "", 10),
)
KEYS = [c.key for c in COLUMNS]
REQUIRED = ("jenis", "pertanyaan")


class QuestionImportError(Exception):
    def __init__(self, message: str, errors: list[RowError] | tuple = ()):
        super().__init__(message)
        self.message = message
        self.errors = list(errors)


@dataclass(frozen=True)
class QuestionImportResult:
    checked: int
    created: int
    dry_run: bool

    def summary(self) -> str:
        if self.dry_run:
            return _("Pemeriksaan saja: %(n)s baris benar; tidak ada yang disimpan.") % {
                "n": self.checked}
        return _("%(n)s soal diimpor.") % {"n": self.created}


def template_bytes() -> bytes:
    """The template: a header row, one example row and the column help on a second sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_NAME
    sheet.append([c.key for c in COLUMNS])
    sheet.append([c.example for c in COLUMNS])
    sheet.append(["esai", "Jelaskan langkah menyusun rencana kebutuhan ASN di instansi Anda.",
                  "", "", "", "", "", "", "", "analisis jabatan; analisis beban kerja; "
                  "formasi; prioritas", 10])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = column.width
    help_sheet = book.create_sheet(_("Petunjuk"))
    help_sheet.append([_("kolom"), _("isi")])
    for column in COLUMNS:
        help_sheet.append([column.key, str(column.help)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(*, content: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    try:
        rows = spreadsheets.read_rows(content=content, filename=filename, limits=LIMITS,
                                      formats=("xlsx",), sheet_name=SHEET_NAME)
    except spreadsheets.SpreadsheetError as exc:
        raise QuestionImportError(exc.message) from exc
    header = [_text(cell).lower().replace(" ", "_") for cell in rows[0]]
    missing = [key for key in REQUIRED if key not in header]
    if missing:
        raise QuestionImportError(_("Kolom wajib tidak ada: %(columns)s. Gunakan templat dari "
                                    "halaman impor.") % {"columns": ", ".join(missing)})
    positions = [(i, key) for i, key in enumerate(header) if key in KEYS]
    table = []
    for number, raw in enumerate(rows[1:], start=2):
        values = {key: _text(raw[i]) if i < len(raw) else "" for i, key in positions}
        if any(values.values()):
            table.append((number, values))
    if not table:
        raise QuestionImportError(
            _("Berkas tidak berisi baris soal (baris 2 dan seterusnya kosong)."))
    return table


def check_row(number: int, values: dict[str, str]) -> tuple[QuestionData | None, list[RowError]]:
    errors: list[RowError] = []

    def bad(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    kind = KINDS.get(values.get("jenis", "").casefold())
    if kind is None:
        bad("jenis", _("isi PG atau esai, bukan “%(v)s”") % {"v": values.get("jenis", "")})
    text = values.get("pertanyaan", "")
    if len(text) > TEXT_MAX:
        bad("pertanyaan", _("maksimal %(max)s karakter") % {"max": TEXT_MAX})
    options = [values.get(f"pilihan_{letter.lower()}", "") for letter in LETTERS]
    while options and not options[-1]:
        options.pop()
    for letter, option in zip(LETTERS, options, strict=False):
        if len(option) > OPTION_MAX:
            bad(f"pilihan_{letter.lower()}", _("maksimal %(max)s karakter") % {"max": OPTION_MAX})
    key_letter = values.get("kunci", "").upper()
    key = LETTERS.index(key_letter) if key_letter and key_letter in LETTERS else None
    if kind == QuestionKind.MULTIPLE_CHOICE and key_letter and key is None:
        bad("kunci", _("isi satu huruf A–E, bukan “%(v)s”") % {"v": values.get("kunci")})
    points_text = values.get("skor_maks", "")
    max_points = 10
    if kind == QuestionKind.ESSAY and points_text:
        if not points_text.isdigit():
            bad("skor_maks", _("isi bilangan bulat 1–100"))
        else:
            max_points = int(points_text)
    for column in ("pembahasan", "pokok_jawaban"):
        if len(values.get(column, "")) > TEXT_MAX:
            bad(column, _("maksimal %(max)s karakter") % {"max": TEXT_MAX})
    if kind is None or errors:
        return None, errors
    data = QuestionData(kind=kind, text=text, options=tuple(options) if kind == "mc" else (),
                        key=key, explanation=values.get("pembahasan", ""),
                        expected_points=values.get("pokok_jawaban", ""), max_points=max_points)
    try:
        check_question(data)
    except ValidationError as exc:
        column_of = {"text": "pertanyaan", "options": "pilihan_a", "key": "kunci",
                     "expected_points": "pokok_jawaban", "max_points": "skor_maks"}
        for field, messages in exc.message_dict.items():
            for message in messages:
                bad(column_of.get(field, field), message.rstrip("."))
        return None, errors
    return data, errors


def find_unit(*, program: Program, code: str) -> ProgramUnit:
    units = list(ProgramUnit.objects.filter(qualification__program=program, code=code))
    if not units:
        raise QuestionImportError(_("Unit %(code)s tidak ada di penyelenggaraan %(program)s.")
                                  % {"code": code, "program": program.code})
    if len(units) > 1:
        raise QuestionImportError(
            _("Kode unit %(code)s ada di lebih dari satu kualifikasi %(program)s.")
            % {"code": code, "program": program.code})
    return units[0]


def import_questions(*, unit: ProgramUnit, content: bytes, filename: str, by: User | None,
                     dry_run: bool = False) -> QuestionImportResult:
    """Check every row, then (unless dry_run) create all questions in one transaction.
    The file is read and checked before the transaction starts."""
    table = read_table(content=content, filename=filename)
    checked: list[QuestionData] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for number, values in table:
        data, row_errors = check_row(number, values)
        errors.extend(row_errors)
        if data is not None:
            key = data.text.casefold()
            if key in seen:
                errors.append(RowError(number, "pertanyaan", _(
                    "soal yang sama sudah ada di baris %(row)s") % {"row": seen[key]}))
            seen.setdefault(key, number)
            checked.append(data)
    existing = set(t.casefold() for t in Question.objects.filter(
        unit=unit, retired_at__isnull=True).values_list("text", flat=True))
    for number, values in table:
        if values.get("pertanyaan", "").strip().casefold() in existing:
            errors.append(RowError(number, "pertanyaan", _("soal ini sudah ada di bank unit ini")))
    if errors:
        errors.sort(key=lambda e: (e.row, KEYS.index(e.column) if e.column in KEYS else 99))
        raise QuestionImportError(
            _("%(count)s kesalahan di %(rows)s baris; tidak ada soal yang diimpor.")
            % {"count": len(errors), "rows": len({e.row for e in errors})}, errors)
    if dry_run:
        return QuestionImportResult(checked=len(checked), created=0, dry_run=True)
    with transaction.atomic():
        for data in checked:
            create_question(unit=unit, data=data, by=by)
    return QuestionImportResult(checked=len(checked), created=len(checked), dry_run=False)
