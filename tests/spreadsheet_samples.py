"""Hostile spreadsheets and images, built in memory: small to store, large when unpacked."""

import io
import struct
import zipfile
import zlib

from openpyxl import Workbook

SCHEDULE_HEADER = ["angkatan", "jenjang", "tanggal_mulai", "tanggal_selesai"]
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"


def _text_cell(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def header_row(columns: list[str] = SCHEDULE_HEADER) -> bytes:
    cells = b"".join(_text_cell(f"{chr(65 + i)}1", name) for i, name in enumerate(columns))
    return b'<row r="1">' + cells + b"</row>"


def sheet_xml(rows: bytes | list[bytes], *, dimension: str | None = None) -> bytes:
    body = rows if isinstance(rows, bytes) else b"".join(rows)
    declared = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + declared + b"<sheetData>" + body + b"</sheetData></worksheet>")


def workbook_with(parts: dict[str, bytes]) -> bytes:
    """A real openpyxl workbook with some of its parts replaced (deflated, as Excel does)."""
    workbook = Workbook()
    workbook.active.append(["x"])  # makes openpyxl write a shared-strings part
    plain = io.BytesIO()
    workbook.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            target.writestr(item.filename, parts.pop(item.filename, None)
                            or source.read(item.filename))
        for name, data in parts.items():
            target.writestr(name, data)
    return out.getvalue()


def far_column_rows(count: int, *, column: str = "XFD", dimension: str | None = "A1") -> bytes:
    """A header, then `count` rows each with one cell in the last column (XFD = 16,384)."""
    rows = b"".join(b'<row r="%d"><c r="%s%d"><v>1</v></c></row>' % (n, column.encode(), n)
                    for n in range(2, count + 2))
    return workbook_with({SHEET: sheet_xml(header_row() + rows, dimension=dimension)})


def declared_everything() -> bytes:
    """A tiny schedule whose sheet declares A1:XFD1048576 and has a formatted last row."""
    row = b'<row r="2">' + b"".join(_text_cell(f"{c}2", v) for c, v in zip(
        "ABCD", ["60", "Pengawas", "2019-09-02", "2019-09-03"], strict=True)) + b"</row>"
    last = b'<row r="1048576" s="0" customFormat="1"/>'
    return workbook_with({SHEET: sheet_xml(header_row() + row + last,
                                           dimension="A1:XFD1048576")})


def empty_rows_then_data(empty: int, *, columns: list[str], values: list[str],
                         as_elements: bool = True) -> bytes:
    """Header, `empty` formatted empty rows (or just a gap), then one data row."""
    last = empty + 2
    gap = b"".join(b'<row r="%d" s="0" customFormat="1"/>' % n for n in range(2, last)) if (
        as_elements) else b""
    data = b'<row r="%d">' % last + b"".join(
        _text_cell(f"{chr(65 + i)}{last}", value) for i, value in enumerate(values)) + b"</row>"
    return workbook_with({SHEET: sheet_xml(header_row(columns) + gap + data)})


SHARED_STRINGS_TYPE = ("application/vnd.openxmlformats-officedocument.spreadsheetml."
                       "sharedStrings+xml")
SHARED_STRINGS_REL = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                      "sharedStrings")


def shared_strings_parts(plain: bytes) -> dict[str, bytes]:
    """The content-types and relationship parts of `plain` with a shared-strings part added."""
    with zipfile.ZipFile(io.BytesIO(plain)) as source:
        types = source.read("[Content_Types].xml").replace(b"</Types>", (
            f'<Override PartName="/{STRINGS}" ContentType="{SHARED_STRINGS_TYPE}"/>'
            "</Types>").encode())
        rels = source.read("xl/_rels/workbook.xml.rels").replace(b"</Relationships>", (
            f'<Relationship Id="rIdStrings" Type="{SHARED_STRINGS_REL}" '
            'Target="sharedStrings.xml"/></Relationships>').encode())
    return {"[Content_Types].xml": types, "xl/_rels/workbook.xml.rels": rels}


def huge_shared_string(size: int) -> bytes:
    """One shared string of `size` bytes used by cell A2: a few KB deflated."""
    strings = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
               b'count="1" uniqueCount="1"><si><t>' + b"A" * size + b"</t></si></sst>")
    row = b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    sheet = sheet_xml(header_row() + row)
    return workbook_with({SHEET: sheet, STRINGS: strings,
                          **shared_strings_parts(workbook_with({SHEET: sheet}))})


# -- images ----------------------------------------------------------------------------------

def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def forged_png(width: int = 1, height: int = 49_999_999) -> bytes:
    """A 69-byte PNG whose header claims width × height RGB pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(b"\0\0\0\0", 9)) + _chunk(b"IEND", b""))
