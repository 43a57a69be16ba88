"""Reports as Excel files: a write-only workbook (openpyxl keeps each appended row in a
temporary file, not in memory), sent as a streamed file response: memory stays flat
whatever the number of rows."""

import tempfile
from collections.abc import Iterable, Sequence

from django.http import FileResponse


def _text_safe(value):
    """Typed text stays text: "=..." entered by a user must not become an Excel formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and len(value) > 1:
        return "'" + value
    return value


def write_xlsx(target, *, sheet_title: str, header: Sequence[str],
               rows: Iterable[Sequence]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    cells = []
    for heading in header:
        cell = WriteOnlyCell(sheet, value=str(heading))
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for row in rows:
        sheet.append([_text_safe(value) for value in row])
    workbook.save(target)


def xlsx_response(*, filename: str, sheet_title: str, header: Sequence[str],
                  rows: Iterable[Sequence]) -> FileResponse:
    # FileResponse closes (and so deletes) the file once it is sent.
    spool = tempfile.TemporaryFile()  # noqa: SIM115
    write_xlsx(spool, sheet_title=sheet_title, header=header, rows=rows)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
