"""The Excel template for nominations: a data sheet "Usulan" and an instruction sheet."""

import io

from django.utils.translation import gettext as _

from kompeten.nominations.excel_import import COLUMNS, MAX_ROWS, REQUIRED_COLUMNS, SHEET_NAME
from kompeten.programs.models import Agency, Level, Program

# Data validation and text format reach this far down the sheet.
TEMPLATE_ROWS = 5000
HEADER_FILL = "1F4E79"
EXAMPLE_FONT = "7F7F7F"
# Sheet names are part of the file format, like the column names: not translated.
GUIDE_SHEET = "Petunjuk"


def build_template(*, program: Program, agency: Agency | None = None) -> bytes:
    """The template as .xlsx bytes; an operator's template has no kode_instansi column."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    columns = [column for column in COLUMNS if agency is None or column.key != "kode_instansi"]
    levels = list(Level.objects.order_by("order", "name"))
    quotas = {quota.level_id: quota.seats_per_agency for quota in program.quotas.all()}

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.append([column.key for column in columns])
    example = {column.key: column.example for column in columns}
    if agency is None:
        first = Agency.objects.order_by("code").first()
        example["kode_instansi"] = first.code if first else "PROV-01"
    sheet.append([example[column.key] for column in columns])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=True, color="FFFFFF")
        header.fill = PatternFill("solid", fgColor=HEADER_FILL)
        sheet.cell(row=2, column=index).font = Font(italic=True, color=EXAMPLE_FONT)
        if column.key in ("nip", "no_hp", "kode_instansi"):
            # Text, so that Excel keeps all 18 digits and the leading 0 of a phone number.
            sheet.column_dimensions[letter].number_format = "@"
            sheet.cell(row=2, column=index).number_format = "@"
        choices = {"jenjang": [level.name for level in levels], "pppk": ["ya", "tidak"],
                   "jenis_kelamin": ["L", "P"]}.get(column.key)
        if choices:
            validation = DataValidation(
                type="list", formula1='"{}"'.format(",".join(choices)),
                allow_blank=column.key not in REQUIRED_COLUMNS, showErrorMessage=True,
                errorTitle=_("Isian tidak valid"),
                error=_("Pilih salah satu: %(choices)s") % {"choices": ", ".join(choices)})
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            sheet.add_data_validation(validation)

    guide = workbook.create_sheet(GUIDE_SHEET)
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 80
    guide.column_dimensions["D"].width = 30
    guide.append([_("Petunjuk pengisian usulan peserta — %(program)s") % {"program": program}])
    guide["A1"].font = Font(bold=True, size=13)
    guide.append([])
    notes = [
        _("Isi satu peserta per baris pada lembar “%(sheet)s”, mulai baris 2. Hapus atau timpa "
          "baris contoh (huruf miring abu-abu).") % {"sheet": SHEET_NAME},
        _("Jangan mengubah nama kolom pada baris 1."),
        _("Berkas diperiksa seluruhnya sebelum disimpan: bila ada satu baris salah, tidak ada "
          "yang diimpor dan setiap kesalahan dilaporkan dengan nomor baris dan kolomnya."),
        _("Satu NIP hanya dapat diusulkan sekali dalam satu penyelenggaraan."),
        _("Kuota per instansi: %(quotas)s. Usulan yang sudah ada ikut dihitung.") % {
            "quotas": ", ".join(f"{level.name} {quotas.get(level.pk, 0)}" for level in levels)},
        _("Paling banyak %(max)s baris per berkas.") % {"max": MAX_ROWS},
    ]
    if agency is not None:
        notes.insert(1, _("Templat ini untuk %(agency)s (kode %(code)s): semua baris diusulkan "
                          "untuk instansi tersebut.") % {"agency": agency.name,
                                                         "code": agency.code})
    for note in notes:
        guide.append([f"• {note}"])
        guide.merge_cells(start_row=guide.max_row, start_column=1,
                          end_row=guide.max_row, end_column=4)
        guide.cell(row=guide.max_row, column=1).alignment = Alignment(wrap_text=True)
        guide.row_dimensions[guide.max_row].height = 30
    guide.append([])
    guide.append([_("Kolom"), _("Wajib"), _("Keterangan"), _("Contoh")])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
    for column in columns:
        required = column.key in REQUIRED_COLUMNS or (column.key == "kode_instansi"
                                                      and agency is None)
        guide.append([column.key, _("ya") if required else _("tidak"), str(column.help),
                      example[column.key]])
        guide.cell(row=guide.max_row, column=3).alignment = Alignment(wrap_text=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
