"""The one spreadsheet reader for every import (.xlsx and .csv).

An upload is untrusted: a 2 MB .xlsx can unpack to gigabytes, declare a sheet of
A1:XFD1048576 or hold one shared string of a gigabyte, and a CSV can be binary or
have one field of 100 MB. So before openpyxl parses anything, the zip is inspected
(member count, uncompressed sizes, compression ratio, the shared-strings size) and
the sheet's XML is scanned as a stream for its declared dimension, its rows and its
cells. Then the sheet is read in read-only mode with at most max_columns columns, and
every row counts toward the row limit, empty ones included. Any refusal raises
SpreadsheetError with an Indonesian message for the user; nothing is half-read.

This module imports no app of the project; it only reads bytes into rows.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

MB = 1024 * 1024
# The whole workbook unpacked, one part of it, and the shared strings (every text of
# the sheet once): a full 20,000-row nomination file unpacks to about 20 MB.
MAX_UNPACKED_BYTES = 100 * MB
MAX_MEMBER_BYTES = 64 * MB
MAX_SHARED_STRINGS_BYTES = 32 * MB
MAX_MEMBERS = 500
# Sheet XML of real data compresses 5-30 times; a bomb compresses about 1000 times.
MAX_RATIO = 100
RATIO_CHECKED_FROM = 1 * MB
# A CSV field above this is refused (the csv module's own default limit).
MAX_CSV_FIELD = 128 * 1024
SCAN_CHUNK = 1 * MB

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*\bref=\"([A-Za-z0-9:$]+)\"")
_ROW = re.compile(rb"<(?:\w+:)?row[\s/>]")
_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})")
# Bytes that never occur in a text file (NUL and other C0 controls but tab, LF, VT,
# FF, CR and the DOS end-of-file mark).
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x19\x1b-\x1f]")


class SpreadsheetError(ValueError):
    """The file cannot be imported at all; message says why, in Indonesian."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Limits:
    """What one import accepts; rows are data rows below the header, empty ones included."""

    max_rows: int
    max_columns: int = 50
    max_cells: int | None = None  # default: (max_rows + 1) * max_columns

    @property
    def cells(self) -> int:
        return self.max_cells or (self.max_rows + 1) * self.max_columns


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


def read_rows(*, content: bytes, filename: str, limits: Limits,
              formats: tuple[str, ...] = ("xlsx", "csv"), sheet_name: str | None = None
              ) -> list[tuple]:
    """The rows of the file, header first, each at most max_columns values wide.

    Raises SpreadsheetError when the type is not accepted, the file is empty or
    unreadable, too large unpacked, or has more rows, columns or cells than the limits.
    Trailing empty rows are dropped (after counting toward the limit).
    """
    extension = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if extension not in formats:
        raise SpreadsheetError(_("Jenis berkas tidak didukung: gunakan %(types)s.")
                               % {"types": _(" atau ").join(f".{f}" for f in formats)})
    if not content:
        raise SpreadsheetError(_("Berkas kosong (0 byte)."))
    rows = _xlsx_rows(content, limits, sheet_name) if extension == "xlsx" else (
        _csv_rows(content, limits))
    while rows and not any(_filled(value) for value in rows[-1]):
        rows.pop()
    if not rows:
        raise SpreadsheetError(_("Berkas kosong: baris 1 harus berisi nama kolom."))
    return rows


def no_data_rows() -> SpreadsheetError:
    """For the importer to raise when no row under the header has data for its columns.

    Raised by the importer after its header check, so a header-only file with a
    missing column is told about the column first.
    """
    return SpreadsheetError(_("Berkas tidak berisi baris data: di bawah baris judul kolom "
                              "(baris 1) tidak ada isian."))


def _filled(value: object) -> bool:
    return value is not None and str(value).strip() != ""


def _too_many_rows(limits: Limits) -> SpreadsheetError:
    return SpreadsheetError(_(
        "Berkas berisi lebih dari %(max)s baris data (baris kosong di antaranya ikut "
        "dihitung). Hapus baris kosong yang berformat atau bagi menjadi beberapa berkas.")
        % {"max": _n(limits.max_rows)})


# -- xlsx ------------------------------------------------------------------------------------

def _unreadable() -> SpreadsheetError:
    return SpreadsheetError(_("Berkas Excel tidak dapat dibaca; simpan ulang sebagai .xlsx "
                              "lalu unggah lagi."))


def _too_large_unpacked(name: str, size: int, limit: int) -> SpreadsheetError:
    return SpreadsheetError(_(
        "Berkas Excel tidak wajar: bagian %(part)s berukuran %(size)s MB setelah dibuka "
        "(batas %(max)s MB). Simpan ulang hanya lembar data (tanpa gambar atau isian "
        "berlebih) lalu unggah lagi.")
        % {"part": name, "size": _n(size // MB), "max": _n(limit // MB)})


def inspect_xlsx(archive: zipfile.ZipFile) -> None:
    """Refuse a workbook whose parts unpack too large, before anything is unpacked.

    zipfile never yields more bytes than a member declares (and checks the CRC), so
    the declared sizes bound what openpyxl can read.
    """
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise _unreadable()
    total = 0
    for member in members:
        name = member.filename
        limit = (MAX_SHARED_STRINGS_BYTES if name.lower().endswith("sharedstrings.xml")
                 else MAX_MEMBER_BYTES)
        if member.file_size > limit:
            raise _too_large_unpacked(name, member.file_size, limit)
        if (member.file_size > RATIO_CHECKED_FROM
                and member.file_size > MAX_RATIO * max(member.compress_size, 1)):
            raise SpreadsheetError(_(
                "Berkas Excel tidak wajar: bagian %(part)s memampat %(ratio)s kali (batas "
                "%(max)s kali). Simpan ulang berkasnya dari Excel lalu unggah lagi.")
                % {"part": name, "ratio": _n(member.file_size // max(member.compress_size, 1)),
                   "max": MAX_RATIO})
        total += member.file_size
    if total > MAX_UNPACKED_BYTES:
        raise _too_large_unpacked("*", total, MAX_UNPACKED_BYTES)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _check_dimension(ref: str, limits: Limits) -> None:
    corners = _REF.findall(ref)
    if not corners:
        return
    letters, row = corners[-1]
    columns, rows = _column_number(letters), int(row)
    if rows > limits.max_rows + 1 or columns > limits.max_columns or (
            rows * columns > limits.cells):
        raise SpreadsheetError(_(
            "Lembar kerja menyatakan ukuran %(ref)s (%(rows)s baris × %(columns)s kolom), "
            "melebihi batas %(max_rows)s baris data dan %(max_columns)s kolom. Hapus baris dan "
            "kolom kosong yang berformat di bawah dan di kanan data, simpan, lalu unggah lagi.")
            % {"ref": ref, "rows": _n(rows), "columns": _n(columns),
               "max_rows": _n(limits.max_rows), "max_columns": _n(limits.max_columns)})


def scan_sheet(source: io.BufferedIOBase, limits: Limits) -> None:
    """Stream the sheet XML once: declared dimension, number of rows and of cells.

    A tag is only counted once its start has been seen whole, so a chunk boundary
    never splits or doubles a count.
    """
    rows = cells = 0
    tail = b""
    first = True
    while chunk := source.read(SCAN_CHUNK):
        buffer = tail + chunk
        if first:
            found = _DIMENSION.search(buffer[:64 * 1024])
            if found:
                _check_dimension(found.group(1).decode("ascii"), limits)
            first = False
        cut = buffer.rfind(b"<")
        if cut < 0 or len(buffer) - cut > 64:
            cut = len(buffer)
        body, tail = buffer[:cut], buffer[cut:]
        rows += len(_ROW.findall(body))
        cells += len(_CELL.findall(body))
        if rows > limits.max_rows + 1:
            raise _too_many_rows(limits)
        if cells > limits.cells:
            raise _too_many_cells(limits)


def _too_many_cells(limits: Limits) -> SpreadsheetError:
    return SpreadsheetError(_(
        "Berkas berisi lebih dari %(max)s sel (termasuk sel kosong yang berformat). Hapus "
        "kolom dan baris yang tidak dipakai, simpan, lalu unggah lagi.")
        % {"max": _n(limits.cells)})


def _xlsx_rows(content: bytes, limits: Limits, sheet_name: str | None) -> list[tuple]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            inspect_xlsx(archive)
    except zipfile.BadZipFile as exc:
        raise _unreadable() from exc
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except SpreadsheetError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise _unreadable() from exc
    try:
        sheet = (workbook[sheet_name] if sheet_name and sheet_name in workbook.sheetnames
                 else workbook.worksheets[0])
        with workbook._archive.open(sheet._worksheet_path) as source:
            scan_sheet(source, limits)
        # The declared size is not trusted either way: read what is there, bounded.
        sheet.reset_dimensions()
        rows: list[tuple] = []
        cells = 0
        for row in sheet.iter_rows(values_only=True, max_col=limits.max_columns,
                                   max_row=limits.max_rows + 2):
            if len(rows) > limits.max_rows:
                raise _too_many_rows(limits)
            cells += len(row)
            if cells > limits.cells:
                raise _too_many_cells(limits)
            rows.append(row)
        return rows
    except (SpreadsheetError, MemoryError):
        raise
    except Exception as exc:
        raise _unreadable() from exc
    finally:
        workbook.close()


# -- csv -------------------------------------------------------------------------------------

def _decode(content: bytes) -> str:
    if content.startswith(b"PK\x03\x04"):
        raise SpreadsheetError(_("Berkas ini berisi data Excel, bukan CSV: simpan dengan "
                                 "ekstensi .xlsx lalu unggah lagi."))
    if _BINARY.search(content[:64 * 1024]) or b"\x00" in content:
        raise SpreadsheetError(_("Berkas bukan teks CSV (berisi data biner). Simpan dari "
                                 "Excel sebagai “CSV UTF-8” lalu unggah lagi."))
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page.
        try:
            return content.decode("cp1252")
        except UnicodeDecodeError:
            return content.decode("latin-1")


def _csv_rows(content: bytes, limits: Limits) -> list[tuple]:
    text = _decode(content)
    first_line = re.split(r"\r\n|\r|\n", text[:8192], maxsplit=1)[0]
    try:
        dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # newline="" lets the csv module see CR, LF and CRLF line ends alike.
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows: list[tuple] = []
    cells = 0
    try:
        for row in reader:
            if len(rows) > limits.max_rows:
                raise _too_many_rows(limits)
            row = tuple(row[:limits.max_columns])
            cells += len(row)
            if cells > limits.cells:
                raise _too_many_cells(limits)
            rows.append(row)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise SpreadsheetError(_(
                "Baris %(row)s berisi isian lebih dari %(max)s KB; periksa tanda petik (\") "
                "yang tidak ditutup.") % {"row": reader.line_num,
                                           "max": MAX_CSV_FIELD // 1024}) from exc
        raise SpreadsheetError(_("Berkas CSV tidak dapat dibaca di baris %(row)s: %(error)s.")
                               % {"row": reader.line_num, "error": exc}) from exc
    return rows
