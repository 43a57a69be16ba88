"""The one spreadsheet reader: bombs are refused before parsing, CSV quirks get a message."""

import io

import pytest
from django.db import connection
from django.urls import reverse

from kompeten.accounts.models import Role
from kompeten.common import spreadsheets
from kompeten.common.upload_limits import CappedUploadHandler
from kompeten.nominations.excel_import import (
    COLUMN_KEYS,
    MAX_ROWS,
    NominationImportError,
    import_nominations,
)
from kompeten.programs.schedule_import import ScheduleFileError
from kompeten.programs.services import import_schedule
from kompeten.registration.models import Registration
from tests.spreadsheet_samples import (
    SCHEDULE_HEADER,
    declared_everything,
    empty_rows_then_data,
    far_column_rows,
    huge_shared_string,
)

MB = 1024 * 1024
LIMITS = spreadsheets.Limits(max_rows=100, max_columns=20)


def refused(content: bytes, filename: str = "berkas.xlsx", limits=LIMITS) -> str:
    with pytest.raises(spreadsheets.SpreadsheetError) as caught:
        spreadsheets.read_rows(content=content, filename=filename, limits=limits)
    return caught.value.message


# -- xlsx bombs ------------------------------------------------------------------------------

def test_rows_reaching_column_xfd_are_refused_by_counting_rows():
    # The report's file: 400,000 such rows in 2 MB; 150 rows show the same.
    content = far_column_rows(150)
    assert "lebih dari 100 baris data" in refused(content)


def test_a_declared_dimension_beyond_the_limits_is_refused_before_reading():
    content = declared_everything()
    assert len(content) < 8 * 1024
    message = refused(content)
    assert "A1:XFD1048576 (1.048.576 baris × 16.384 kolom)" in message


def test_a_cell_in_column_xfd_is_refused_by_the_declared_dimension():
    assert "A1:XFD4" in refused(far_column_rows(3, dimension="A1:XFD4"))


@pytest.mark.parametrize("as_elements", [True, False], ids=["formatted-rows", "gap"])
def test_empty_rows_count_toward_the_row_limit(as_elements):
    content = empty_rows_then_data(150, columns=SCHEDULE_HEADER,
                                   values=["60", "Pengawas", "2019-09-02", "2019-09-03"],
                                   as_elements=as_elements)
    assert "baris kosong di antaranya ikut dihitung" in refused(content)


def test_a_huge_shared_string_is_refused_by_its_unpacked_size():
    content = huge_shared_string(33 * MB)
    assert len(content) < 100 * 1024
    message = refused(content)
    assert "xl/sharedStrings.xml berukuran 33 MB setelah dibuka (batas 32 MB)" in message


def test_a_part_compressed_like_a_bomb_is_refused_by_its_ratio():
    assert "memampat" in refused(huge_shared_string(2 * MB))


def test_a_file_within_the_limits_is_read_with_its_row_numbers():
    content = empty_rows_then_data(3, columns=SCHEDULE_HEADER,
                                   values=["60", "Pengawas", "2019-09-02", "2019-09-03"])
    rows = spreadsheets.read_rows(content=content, filename="jadwal.xlsx", limits=LIMITS)
    assert len(rows) == 5  # row 5 of the sheet is the data row
    assert rows[4][:4] == ("60", "Pengawas", "2019-09-02", "2019-09-03")
    assert all(len(row) == LIMITS.max_columns for row in rows)


# -- csv -------------------------------------------------------------------------------------

SCHEDULE_CSV = (b"angkatan,jenjang,tanggal_mulai,tanggal_selesai\n"
                b"60,Pengawas,2019-09-02,2019-09-03\n")


@pytest.mark.django_db
def test_csv_with_cr_only_line_ends_is_imported(program):
    content = SCHEDULE_CSV.replace(b"\n", b"\r")
    result = import_schedule(program=program, content=content, filename="jadwal.csv")
    assert (result.created, result.updated) == (1, 0)
    assert program.batches.get(number=60).level.name == "Pengawas"


@pytest.mark.django_db
@pytest.mark.parametrize(("content", "message"), [
    (SCHEDULE_CSV + b'61,Pengawas,2019-09-02,2019-09-03,"' + b"x" * (200 * 1024) + b'"\n',
     "Baris 3 berisi isian lebih dari 128 KB"),
    (b"angkatan,jenjang\x00\x01\x02\xff\xfe" * 50, "data biner"),
    (bytes(range(256)) * 4, "data biner"),
    (b"PK\x03\x04" + b"\x14" * 40, "berisi data Excel, bukan CSV"),
    (b"angkatan,jenjang,tanggal_mulai,tanggal_selesai\n", "tidak berisi baris data"),
    (b"angkatan,jenjang,tanggal_mulai,tanggal_selesai\n,,,\n\n", "tidak berisi baris data"),
], ids=["huge-field", "nul", "binary", "xlsx-named-csv", "header-only", "header-and-blanks"])
def test_bad_csv_files_get_a_clear_message_and_nothing_is_written(program, content, message):
    before = program.batches.count()
    with pytest.raises(ScheduleFileError, match=message):
        import_schedule(program=program, content=content, filename="jadwal.csv")
    assert program.batches.count() == before


@pytest.mark.django_db
def test_the_schedule_command_explains_a_bomb(program, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "jadwal.xlsx"
    path.write_bytes(declared_everything())
    with pytest.raises(CommandError, match="A1:XFD1048576"):
        call_command("import_schedule", str(path), "--program", "2019")


# -- the imports: parsing outside the transaction, nothing written on refusal -----------------

def _depth_while_reading(monkeypatch) -> list[int]:
    """The transaction depth at each call of the reader (spy only, the reader still runs)."""
    depths: list[int] = []
    real = spreadsheets.read_rows

    def spy(**kwargs):
        depths.append(len(connection.atomic_blocks))
        return real(**kwargs)

    monkeypatch.setattr(spreadsheets, "read_rows", spy)
    return depths


@pytest.mark.django_db
def test_the_schedule_file_is_parsed_outside_the_transaction(program, monkeypatch):
    depths = _depth_while_reading(monkeypatch)
    outside = len(connection.atomic_blocks)
    import_schedule(program=program, content=SCHEDULE_CSV, filename="jadwal.csv")
    assert depths == [outside]
    assert program.batches.filter(number=60).exists()


def nomination_xlsx(*rows: list[str]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(COLUMN_KEYS)
    for values in rows:
        workbook.active.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_the_nomination_file_is_parsed_outside_the_transaction(world, monkeypatch):
    depths = _depth_while_reading(monkeypatch)
    outside = len(connection.atomic_blocks)
    content = nomination_xlsx(["PROV-02", "Pengawas", "198001012005011001", "tidak", "",
                               "Ir. Budi Santoso", "Kepala Seksi", "BKD", "budi@bali.example",
                               ""])
    result = import_nominations(program=world["program"], content=content,
                                filename="usulan.xlsx", by=None)
    assert result.created == 1
    assert depths == [outside]


def test_nominations_count_empty_rows_toward_their_limit(world):
    values = ["PROV-02", "Pengawas", "198001012005011001", "tidak", "", "Ir. Budi Santoso",
              "Kepala Seksi", "BKD", "budi@bali.example", ""]
    content = empty_rows_then_data(MAX_ROWS + 5, columns=list(COLUMN_KEYS), values=values)
    before = Registration.objects.count()
    with pytest.raises(NominationImportError, match="lebih dari 20.000 baris data"):
        import_nominations(program=world["program"], content=content, filename="usulan.xlsx",
                           by=None)
    assert Registration.objects.count() == before


def test_the_nomination_page_explains_a_bomb_and_writes_nothing(client, world):
    client.force_login(world["users"][Role.ORGANISER])
    upload = io.BytesIO(huge_shared_string(33 * MB))
    upload.name = "usulan.xlsx"
    before = Registration.objects.count()
    response = client.post(reverse("nominations:nomination_import"), {"file": upload})
    assert response.status_code == 200
    assert "sharedStrings.xml berukuran 33 MB" in response.context["form"].errors["file"][0]
    assert Registration.objects.count() == before
    assert isinstance(response.wsgi_request.upload_handlers[0], CappedUploadHandler)


@pytest.mark.django_db
def test_the_schedule_page_explains_a_bomb(client, program, users):
    client.force_login(users[Role.ORGANISER])
    upload = io.BytesIO(declared_everything())
    upload.name = "jadwal.xlsx"
    before = program.batches.count()
    response = client.post(reverse("programs:schedule_import"),
                           {"program": program.pk, "file": upload})
    assert response.status_code == 200
    assert "A1:XFD1048576" in response.context["form"].errors["file"][0]
    assert program.batches.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["programs:schedule_import", "nominations:nomination_import"])
def test_import_uploads_are_capped_while_the_body_is_parsed(client, program, users, settings,
                                                            url):
    settings.IMPORT_MAX_BYTES = 64 * 1024
    client.force_login(users[Role.ORGANISER])
    upload = io.BytesIO(b"PK\x03\x04" + b"\0" * (1 * MB))
    upload.name = "besar.xlsx"
    response = client.post(reverse(url), {"program": program.pk, "file": upload})
    assert response.status_code == 200
    assert "Berkas terlalu besar" in response.context["form"].errors["file"][0]
    handler = response.wsgi_request.upload_handlers[0]
    # the handler kept limit+1 bytes of the 1 MB body and counted the rest
    assert isinstance(handler, CappedUploadHandler)
    assert (handler.limit, handler.received) == (64 * 1024, 1 * MB + 4)
