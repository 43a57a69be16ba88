"""The SIASN course-history (riwayat kursus) export: one row per valid certificate, in the
fields the national civil-service system takes, as a write-only workbook."""

import io
from collections.abc import Callable

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kompeten.certificates.models import Certificate, Kind
from kompeten.programs.models import JPKind
from kompeten.programs.selectors import jp_by_kind

INSTITUTION = "Pusat Pengembangan Aparatur Sipil Negara BKN"
COLUMNS = [("nip", 21), ("nama", 32), ("instansi", 36), ("jenis_kursus", 22),
           ("nama_kursus", 60), ("institusi_penyelenggara", 40), ("jumlah_jam", 11),
           ("nomor_sertifikat", 32), ("tanggal_mulai", 14), ("tanggal_selesai", 14),
           ("tahun_kursus", 12), ("jenis_sertifikat", 18)]


def course_name(certificate: Certificate) -> str:
    if certificate.kind == Kind.COMPETENCE:
        return (f"Sertifikasi Kompetensi Teknis Manajemen ASN Kualifikasi "
                f"{certificate.qualification_name}")
    return f"Pelatihan Manajemen ASN Kualifikasi {certificate.qualification_name}"


def _text(sheet, value: str):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # NIPs and numbers stay text; "=..." never becomes a formula
    return cell


# Up to this many rows the export is written in the request; more go to a background job
# (SiasnExport), so no request holds a worker while a national year is written.
DIRECT_MAX = 10_000
PROGRESS_EVERY = 1000


def export(certificates: QuerySet[Certificate], *, program) -> bytes:
    buffer = io.BytesIO()
    write(certificates, program=program, target=buffer)
    return buffer.getvalue()


def write(certificates: QuerySet[Certificate], *, program, target,
          progress: Callable[[int], None] | None = None) -> int:
    """Write the workbook into ``target`` (a path or a binary file); ``progress`` is told
    the number of rows written every PROGRESS_EVERY rows. Returns the number of rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    jp = jp_by_kind(program=program)
    hours = {Kind.TRAINING: jp["total"], Kind.COMPETENCE: jp.get(JPKind.EVALUATION, 0)}
    kinds = {Kind.TRAINING: _("Pelatihan"), Kind.COMPETENCE: _("Sertifikasi kompetensi")}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("riwayat_kursus")
    for index, (_heading, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for heading, _width in COLUMNS:
        cell = WriteOnlyCell(sheet, value=heading)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    written = 0
    for certificate in certificates.iterator(chunk_size=2000):
        batch = certificate.batch
        sheet.append([
            _text(sheet, certificate.nip), _text(sheet, certificate.full_name),
            _text(sheet, certificate.registration.agency.name),
            "Kursus/Pelatihan Teknis" if certificate.kind == Kind.TRAINING
            else "Sertifikasi Kompetensi",
            _text(sheet, course_name(certificate)), INSTITUTION,
            hours[certificate.kind], _text(sheet, certificate.number),
            batch.start_date.strftime("%d-%m-%Y") if batch else "",
            batch.end_date.strftime("%d-%m-%Y") if batch else "",
            certificate.program.year, str(kinds[certificate.kind])])
        written += 1
        if progress is not None and written % PROGRESS_EVERY == 0:
            progress(written)
    workbook.save(target)
    return written
