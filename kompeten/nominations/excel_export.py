"""Nominations as an Excel file (write-only workbook, rows streamed from the database)."""

import io
from collections.abc import Callable

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kompeten.registration.models import Registration, Status


def export_columns() -> list[tuple[str, int]]:
    """(heading, width) of each exported column."""
    return [(_("Instansi"), 36), (_("Provinsi"), 20), (_("Jenjang"), 14), (_("NIP"), 21),
            (_("Nama lengkap"), 32), (_("Jabatan"), 36), (_("Unit kerja"), 28),
            (_("E-mail"), 30), (_("HP"), 16), (_("Status"), 16), (_("Tanggal usulan"), 17)]


def export_nominations(*, registrations: QuerySet[Registration]) -> bytes:
    """The given (already scoped and filtered) registrations as .xlsx bytes, one query."""
    buffer = io.BytesIO()
    write_nominations(registrations=registrations, target=buffer)
    return buffer.getvalue()


def write_nominations(*, registrations: QuerySet[Registration], target,
                      progress: Callable[[int], None] | None = None,
                      every: int = 2000) -> int:
    """Write the registrations as .xlsx into target (a path or a binary file) with a
    write-only workbook (rows streamed from the database in chunks, never all in memory);
    progress(rows written) is called every ``every`` rows. Returns the number of rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Usulan"))
    columns = export_columns()
    for index, (_heading, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for heading, _width in columns:
        cell = WriteOnlyCell(sheet, value=heading)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    statuses = {value: str(label) for value, label in Status.choices}
    rows = (registrations.select_related("agency", "level")
            .order_by("agency__name", "level__order", "plain_name", "pk"))
    written = 0
    for registration in rows.iterator(chunk_size=2000):
        nominated = WriteOnlyCell(
            sheet, value=timezone.localtime(registration.nominated_at).replace(tzinfo=None))
        nominated.number_format = "yyyy-mm-dd hh:mm"
        sheet.append([
            *(_as_text(sheet, value, WriteOnlyCell) for value in (
                registration.agency.name, registration.agency.province, registration.level.name,
                registration.nip, registration.full_name, registration.position,
                registration.work_unit, registration.email, registration.phone)),
            statuses.get(registration.status, registration.status), nominated])
        written += 1
        if progress is not None and written % every == 0:
            progress(written)
    workbook.save(target)
    return written


def _as_text(sheet, value: str, cell_class):
    """Typed text stays text: "=..." entered by a user must not become an Excel formula."""
    if not value.startswith("="):
        return value
    cell = cell_class(sheet, value=value)
    cell.data_type = "s"
    return cell
