import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from openpyxl import Workbook

from kompeten.programs.models import (
    Batch,
    CompetencyUnit,
    Level,
    Module,
    Program,
    ProgramQuota,
    ProgramStage,
    Qualification,
)
from kompeten.programs.schedule_import import ScheduleFileError
from kompeten.programs.selectors import jp_by_kind, total_jp
from kompeten.programs.services import (
    ScheduleImportRejected,
    create_program_2019,
    import_schedule,
    load_reference_data,
)

HEADER = "angkatan,jenjang,tanggal_mulai,tanggal_selesai,jumlah_peserta\n"


def csv_bytes(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode()


@pytest.mark.django_db
def test_reference_data_matches_the_2019_guide():
    load_reference_data()
    assert list(Level.objects.values_list("name", flat=True)) == [
        "JPT Pratama", "Administrator", "Pengawas"]
    units = {q.name: q.units.count() for q in Qualification.objects.all()}
    assert units == {"JPT Pratama BKN": 12, "JPT Pratama Instansi K/L dan Daerah": 11,
                     "Administrator": 14, "Pengawas": 15}
    modules = {level.name: level.modules.count() for level in Level.objects.all()}
    assert modules == {"JPT Pratama": 4, "Administrator": 8, "Pengawas": 9}
    # Codes are not in the source: generated ones are marked as demo.
    assert not CompetencyUnit.objects.filter(code_is_demo=False).exists()
    first = CompetencyUnit.objects.get(qualification__code="pengawas", order=1)
    assert first.title == "Menganalisa Kebutuhan Pelatihan dan Evaluasi Pelatihan ASN"


@pytest.mark.django_db
def test_program_2019_has_schedule_stages_quotas_and_jp():
    program = create_program_2019()
    assert total_jp(program=program) == 21
    assert jp_by_kind(program=program) == {"elearning": 3, "classroom": 12, "evaluation": 6,
                                           "total": 21}
    assert program.batches.count() == 50
    assert program.batches.filter(level__name="Pengawas").count() == 15
    assert program.batches.filter(level__name="JPT Pratama").count() == 3
    assert program.batches.filter(level__name="Administrator").count() == 32
    akt_50 = program.batches.get(number=50)
    assert (akt_50.start_date, akt_50.end_date) == (dt.date(2019, 8, 15), dt.date(2019, 8, 16))
    assert akt_50.capacity == 30
    assert program.stages.count() == 9
    assert program.stages.get(number=1).date == dt.date(2019, 4, 5)
    assert list(program.stages.values_list("kind", flat=True)) == [
        "announcement", "nomination", "invitation", "registration", "review", "elearning",
        "classroom", "classroom", "assessment"]
    assert set(ProgramQuota.objects.values_list("seats_per_agency", flat=True)) == {1}
    assert program.signatory_nip == "196102121985091001"


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    create_program_2019()
    counts = [m.objects.count() for m in (Program, Batch, ProgramStage, ProgramQuota,
                                          CompetencyUnit, Module, Qualification, Level)]
    unit = CompetencyUnit.objects.first()
    unit.code = "R.ORG.01"  # an organiser's edit survives a reload
    unit.save()
    create_program_2019()
    assert counts == [m.objects.count() for m in (Program, Batch, ProgramStage, ProgramQuota,
                                                  CompetencyUnit, Module, Qualification, Level)]
    unit.refresh_from_db()
    assert unit.code == "R.ORG.01"


@pytest.mark.django_db
def test_import_reports_every_bad_row_and_imports_nothing(program):
    before = list(program.batches.order_by("number").values_list("number", "start_date"))
    content = csv_bytes(
        "60,Pengawas,2019-09-02,2019-09-03,30",        # row 2: fine
        "61,Eselon V,2019-09-02,2019-09-03,30",        # row 3: unknown level
        "62,Pengawas,2019-02-30,2019-09-03,30",        # row 4: impossible date
        "60,Pengawas,2019-09-04,2019-09-05,30",        # row 5: duplicate number
        "63,Administrator,2019-09-05,2019-09-04,30",   # row 6: ends before start
        "64,Administrator,2019-09-05,2019-09-06,nol",  # row 7: bad capacity
    )
    with pytest.raises(ScheduleImportRejected) as caught:
        import_schedule(program=program, content=content, filename="jadwal.csv")
    errors = [(e.row, e.column) for e in caught.value.errors]
    assert errors == [(3, "jenjang"), (4, "tanggal_mulai"), (5, "angkatan"),
                      (6, "tanggal_selesai"), (7, "jumlah_peserta")]
    assert "baris 2" in str(caught.value.errors[2]).lower()
    after = list(program.batches.order_by("number").values_list("number", "start_date"))
    assert after == before


@pytest.mark.django_db
def test_import_creates_and_updates_by_number(program):
    content = csv_bytes("50,administrator,16/08/2019,17/08/2019,25", "51,Pengawas,2019-09-02,"
                        "2019-09-03,")
    result = import_schedule(program=program, content=content, filename="jadwal.csv")
    assert (result.created, result.updated) == (1, 1)
    updated = program.batches.get(number=50)
    assert (updated.start_date, updated.capacity) == (dt.date(2019, 8, 16), 25)
    assert program.batches.get(number=51).capacity == 30  # default when empty


@pytest.mark.django_db
def test_import_reads_excel(program):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Angkatan", "Jenjang", "Tanggal Mulai", "Tanggal Selesai", "Tempat"])
    sheet.append([70, "JPT Pratama", dt.datetime(2019, 10, 1), dt.date(2019, 10, 2), "Ciawi"])
    sheet.append([71, "Pengawas", "bukan tanggal", dt.date(2019, 10, 2), ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ScheduleImportRejected) as caught:
        import_schedule(program=program, content=buffer.getvalue(), filename="jadwal.xlsx")
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "tanggal_mulai")]
    sheet.delete_rows(3)
    buffer = io.BytesIO()
    workbook.save(buffer)
    import_schedule(program=program, content=buffer.getvalue(), filename="jadwal.xlsx")
    assert program.batches.get(number=70).venue == "Ciawi"


@pytest.mark.django_db
@pytest.mark.parametrize(("content", "filename", "message"), [
    (b"", "kosong.csv", "kosong"),
    (b"angkatan,jenjang\n1,Pengawas\n", "kurang.csv", "tanggal_mulai"),
    (b"PK\x03\x04 rusak", "rusak.xlsx", "tidak dapat dibaca"),
    (b"MZ\x90\x00", "program.exe", "tidak didukung"),
])
def test_unreadable_files_get_a_clear_message(program, content, filename, message):
    with pytest.raises(ScheduleFileError, match=message):
        import_schedule(program=program, content=content, filename=filename)


@pytest.mark.django_db
def test_batch_invariants_are_database_constraints(program):
    level = Level.objects.first()
    base = {"program": program, "level": level, "start_date": dt.date(2019, 1, 2)}
    with pytest.raises(IntegrityError), transaction.atomic():
        Batch.objects.create(number=99, end_date=dt.date(2019, 1, 1), **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        Batch.objects.create(number=1, end_date=dt.date(2019, 1, 3), **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        Batch.objects.create(number=98, end_date=dt.date(2019, 1, 3), capacity=0, **base)
    with pytest.raises(ValidationError) as caught:
        Batch(number=97, end_date=dt.date(2019, 1, 1), **base).full_clean()
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in str(caught.value)
