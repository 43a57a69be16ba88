"""Nomination import from Excel (service, page, command), the filtered list and its export."""

import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kompeten.accounts.models import Role
from kompeten.nominations import excel_import as nomination_import
from kompeten.nominations.excel_import import COLUMN_KEYS, NominationImportError, import_nominations
from kompeten.programs.models import Agency, AgencyKind, Level, ProgramQuota
from kompeten.registration.models import Registration, Status
from tests.conftest import NIP_FEMALE, NIP_MALE, make_user
from tests.queries import count_queries

# world: agency_a (PROV-01, Aceh) has Pengawas (NIP_MALE) and Administrator (NIP_FEMALE)
# taken; agency_b (PROV-02, Bali) has nothing. The 2019 quota is 1 seat per level.


def nip(serial: int, gender: int = 1) -> str:
    """A valid PNS NIP: born 1 Jan 1980, CPNS January 2005."""
    return f"19800101200501{gender}{serial:03d}"


def row(**values) -> dict:
    serial = values.pop("serial", 1)
    base = {"kode_instansi": "PROV-02", "jenjang": "Pengawas", "nip": nip(serial),
            "pppk": "tidak", "jenis_kelamin": "", "nama_lengkap": f"Ir. Budi Santoso {serial}",
            "jabatan": "Kepala Seksi", "unit_kerja": "BKD", "email": f"budi{serial}@bali.example",
            "no_hp": "0812-3456-7890"}
    base.update(values)
    return base


def xlsx(rows: list[dict], columns: list[str] | None = None) -> bytes:
    columns = COLUMN_KEYS if columns is None else columns
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(columns)
    for values in rows:
        sheet.append([values.get(column, "") for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def roomy(world):
    """Quota of 100 seats per level, for tests about something else than the quota."""
    ProgramQuota.objects.filter(program=world["program"]).update(seats_per_agency=100)
    return world


def run(world, rows, *, agency=None, dry_run=False, columns=None, by=None):
    return import_nominations(program=world["program"], content=xlsx(rows, columns),
                              filename="usulan.xlsx", by=by, agency=agency, dry_run=dry_run)


def rejected(world, rows, **kwargs) -> NominationImportError:
    with pytest.raises(NominationImportError) as info:
        run(world, rows, **kwargs)
    return info.value


def where(error: NominationImportError) -> list[tuple[int, str]]:
    return [(e.row, e.column) for e in error.errors]


# -- the template ---------------------------------------------------------------------------

def test_template_round_trip_for_the_organiser(client, world):
    client.force_login(world["users"][Role.ORGANISER])
    response = client.get(reverse("nominations:nomination_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Usulan", "Petunjuk"]
    sheet = workbook["Usulan"]
    assert [c.value for c in sheet[1]] == COLUMN_KEYS
    assert sheet["C2"].value == nomination_import.EXAMPLE_NIP
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists["B2"] == '"JPT Pratama,Administrator,Pengawas"'
    guide = "\n".join(str(c.value) for r in workbook["Petunjuk"].iter_rows() for c in r)
    assert "Kuota per instansi: JPT Pratama 1, Administrator 1, Pengawas 1" in guide

    # Left in place, the example row is refused rather than imported.
    unchanged = io.BytesIO(response.content).getvalue()
    with pytest.raises(NominationImportError) as info:
        import_nominations(program=world["program"], content=unchanged, filename="t.xlsx",
                           by=None)
    assert where(info.value) == [(2, "nip")] and "baris contoh" in info.value.errors[0].message

    sheet.delete_rows(2)
    sheet.append(list(row(serial=1).values()))
    sheet.append(list(row(serial=2, kode_instansi="prov-01", jenjang="jpt pratama").values()))
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = import_nominations(program=world["program"], content=buffer.getvalue(),
                                filename="t.xlsx", by=world["users"][Role.ORGANISER])
    assert (result.created, result.agencies) == (2, 2)
    assert result.by_level == {"JPT Pratama": 1, "Pengawas": 1}
    budi = Registration.objects.get(nip=nip(1))
    assert (budi.agency.code, budi.level.name, budi.seat, budi.status) == (
        "PROV-02", "Pengawas", 1, Status.NOMINATED)
    assert (budi.plain_name, budi.gender, budi.phone) == ("Budi Santoso 1", "L", "+6281234567890")
    assert Registration.objects.get(nip=nip(2)).agency == world["agency_a"]


def test_template_round_trip_for_an_operator_through_the_page(client, world):
    operator = world["users"][Role.OPERATOR]
    client.force_login(operator)
    page = client.get(reverse("nominations:nomination_import"))
    assert reverse("nominations:nomination_template") in page.content.decode()
    template = client.get(reverse("nominations:nomination_template"))
    workbook = load_workbook(io.BytesIO(template.content))
    sheet = workbook["Usulan"]
    header = [c.value for c in sheet[1]]
    assert "kode_instansi" not in header
    sheet.delete_rows(2)
    values = row(serial=7, jenjang="JPT Pratama")
    sheet.append([values[column] for column in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "usulan.xlsx"
    response = client.post(reverse("nominations:nomination_import"), {"file": buffer})
    assert response.status_code == 302
    assert response.url == reverse("nominations:nomination_list")
    created = Registration.objects.get(nip=nip(7))
    assert (created.agency, created.nominated_by) == (world["agency_a"], operator)
    messages = [str(m) for m in client.get(response.url).context["messages"]]
    assert messages == ["1 usulan diimpor (JPT Pratama 1; 1 instansi)."]


# -- bad rows -------------------------------------------------------------------------------

def test_every_bad_row_is_reported_with_row_and_column_and_nothing_is_imported(roomy):
    world = roomy
    before = Registration.objects.count()
    rows = [
        row(serial=1),                                               # 2 good
        row(serial=2, nip="19800101200501100"),                      # 3 17 digits
        row(serial=3, nip="198002302005011003"),                     # 4 30 February
        row(serial=4, kode_instansi="XX-99"),                        # 5 unknown agency
        row(serial=5, kode_instansi=""),                             # 6 missing agency
        row(serial=6, jenjang="Camat"),                              # 7 unknown level
        row(serial=7, jenjang=""),                                   # 8 missing level
        row(serial=1, kode_instansi="PROV-01", jenjang="JPT Pratama"),  # 9 NIP twice
        row(nip=NIP_MALE, kode_instansi="PROV-02", jenjang="Administrator"),  # 10 registered
        row(serial=10, pppk="mungkin"),                              # 11 pppk
        row(serial=11, pppk="ya", jenis_kelamin=""),                 # 12 PPPK without gender
        row(serial=12, jenis_kelamin="P"),                           # 13 gender against NIP
        row(serial=13, email="bukan-email"),                         # 14 e-mail
        row(serial=14, no_hp="12"),                                  # 15 phone
        row(serial=15, nip=198001012005011015.0),                    # 16 NIP as a number
        row(serial=16, nama_lengkap="A" * 201),                      # 17 too long
        row(serial=17, nama_lengkap="", jabatan=""),                 # 18 missing name, position
    ]
    error = rejected(world, rows)
    assert where(error) == [
        (3, "nip"), (4, "nip"), (5, "kode_instansi"), (6, "kode_instansi"), (7, "jenjang"),
        (8, "jenjang"), (9, "nip"), (10, "nip"), (11, "pppk"), (12, "jenis_kelamin"),
        (13, "jenis_kelamin"), (14, "email"), (15, "no_hp"), (16, "nip"),
        (17, "nama_lengkap"), (18, "nama_lengkap"), (18, "jabatan")]
    text = {(e.row, e.column): e.message for e in error.errors}
    assert "18 angka" in text[3, "nip"]
    assert "tidak ada di kalender" in text[4, "nip"]
    assert "“XX-99” tidak dikenal" in text[5, "kode_instansi"]
    assert "wajib diisi" in text[6, "kode_instansi"]
    assert ("“Camat” tidak dikenal (pilihan: JPT Pratama, Administrator, Pengawas)"
            in text[7, "jenjang"])
    assert f"NIP {nip(1)} ganda: sudah ada di baris 2" == text[9, "nip"]
    assert "oleh BKD Provinsi Aceh (jenjang Pengawas" in text[10, "nip"]
    assert "“mungkin”" in text[11, "pppk"]
    assert "PPPK" in text[12, "jenis_kelamin"]
    assert "tidak sesuai NIP" in text[13, "jenis_kelamin"]
    assert "membulatkannya" in text[16, "nip"]
    assert "maksimal 200" in text[17, "nama_lengkap"]
    assert error.message == "17 kesalahan di 16 baris; tidak ada usulan yang diimpor."
    assert str(error.errors[0]).startswith("Baris 3, kolom nip: ")
    assert Registration.objects.count() == before


@pytest.mark.parametrize(("content", "filename", "message"), [
    (b"nip,jenjang\n1,2\n", "usulan.csv", "unggah berkas Excel (.xlsx)"),
    (b"PK\x03\x04 rusak", "usulan.xlsx", "tidak dapat dibaca"),
    (xlsx([], columns=["nip", "nama_lengkap"]), "usulan.xlsx",
     "Kolom wajib tidak ada: kode_instansi, jenjang, jabatan, email"),
    (xlsx([]), "usulan.xlsx", "tidak berisi baris usulan"),
    (xlsx([], columns=[]), "usulan.xlsx", "Berkas kosong"),
    (xlsx([], columns=["nip", "nip"]), "usulan.xlsx", "Kolom ganda: nip"),
], ids=["csv", "broken", "columns", "no-rows", "empty", "doubled"])
def test_file_problems_give_one_clear_message(world, content, filename, message):
    with pytest.raises(NominationImportError) as info:
        import_nominations(program=world["program"], content=content, filename=filename, by=None)
    assert message in info.value.message and info.value.errors == []


def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_excel(roomy):
    world = roomy
    error = rejected(world, [row(serial=1), {}, {}, row(serial=2, email="x")])
    assert where(error) == [(5, "email")]


# -- quota ----------------------------------------------------------------------------------

@pytest.fixture
def two_fresh_agencies(world):
    """KAB-01 with its Pengawas seat taken by a nomination, KAB-02 with nothing."""
    from kompeten.nominations.services import nominate
    from tests.conftest import nominee

    first = Agency.objects.create(code="KAB-01", name="BKPSDM Kabupaten Aceh Besar",
                                  kind=AgencyKind.REGENCY_CITY, province="Aceh")
    Agency.objects.create(code="KAB-02", name="BKPSDM Kabupaten Badung",
                          kind=AgencyKind.REGENCY_CITY, province="Bali")
    existing = nominate(program=world["program"], agency=first,
                        level=Level.objects.get(code="pengawas"), nominee=nominee(nip(900)),
                        by=None)
    return {**world, "existing": existing}


def test_quota_counts_existing_nominations_and_earlier_rows_of_the_file(two_fresh_agencies):
    world = two_fresh_agencies
    rows = [row(serial=1, kode_instansi="KAB-01", jenjang="Pengawas"),      # 2 taken already
            row(serial=2, kode_instansi="KAB-02", jenjang="Pengawas"),      # 3 ok
            row(serial=3, kode_instansi="KAB-02", jenjang="Pengawas"),      # 4 after row 3
            row(serial=4, kode_instansi="KAB-01", jenjang="JPT Pratama")]   # 5 ok
    error = rejected(world, rows)
    assert where(error) == [(2, "jenjang"), (4, "jenjang")]
    assert error.errors[0].message == (
        "kuota Pengawas untuk BKPSDM Kabupaten Aceh Besar hanya 1 kursi dan sudah terpakai "
        "oleh 1 usulan yang sudah ada")
    assert error.errors[1].message.endswith("oleh baris 3 di berkas ini")
    assert not Registration.objects.filter(nip__in=[nip(2), nip(4)]).exists()

    ProgramQuota.objects.filter(program=world["program"]).update(seats_per_agency=2)
    result = run(world, rows)
    assert result.created == 4
    seats = dict(Registration.objects.filter(nip__in=[nip(s) for s in (1, 2, 3)])
                 .values_list("nip", "seat"))
    assert seats == {nip(1): 2, nip(2): 1, nip(3): 2}


def test_a_declined_nomination_gives_its_seat_to_the_file(two_fresh_agencies):
    from kompeten.nominations.services import decline_nomination

    world = two_fresh_agencies
    rows = [row(serial=1, kode_instansi="KAB-01")]
    assert where(rejected(world, rows)) == [(2, "jenjang")]
    decline_nomination(registration=world["existing"], by=None, reason="Kuota penuh")
    assert run(world, rows).created == 1
    assert Registration.objects.get(nip=nip(1)).seat == 1


def test_the_database_constraints_back_up_the_checks(roomy, monkeypatch):
    world = roomy
    # Someone else's nomination lands between the checks and the insert: simulated by
    # skipping the NIP check; the unique constraint refuses and nothing is written.
    monkeypatch.setattr(nomination_import, "_check_registered", lambda check, **kwargs: None)
    before = Registration.objects.count()
    error = rejected(world, [row(serial=1), row(nip=NIP_FEMALE, jenjang="JPT Pratama")])
    assert "tersimpan bersamaan" in error.message and error.errors == []
    assert Registration.objects.count() == before


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="row locks and real concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_imports_at_once_cannot_exceed_the_quota():
    from kompeten.programs.services import create_program_2019

    program = create_program_2019()
    Agency.objects.create(code="PROV-02", name="BKD Provinsi Bali", kind=AgencyKind.PROVINCE,
                          province="Bali")
    barrier = threading.Barrier(2)
    outcomes = []

    def submit(serial):
        try:
            barrier.wait()
            import_nominations(program=program, content=xlsx([row(serial=serial)]),
                               filename="u.xlsx", by=None)
            outcomes.append("ok")
        except NominationImportError as exc:
            outcomes.append(exc.errors[0].message if exc.errors else exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(serial,)) for serial in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1
    assert any("kuota Pengawas" in outcome for outcome in outcomes)
    assert Registration.objects.filter(agency__code="PROV-02").count() == 1


# -- operators ------------------------------------------------------------------------------

def test_an_operator_imports_only_into_the_own_agency(world):
    agency_a, operator = world["agency_a"], world["users"][Role.OPERATOR]
    error = rejected(world, [row(serial=1, kode_instansi="PROV-02", jenjang="JPT Pratama"),
                             row(serial=2, kode_instansi="", jenjang="JPT Pratama")],
                     agency=agency_a, by=operator)
    assert where(error) == [(2, "kode_instansi"), (3, "jenjang")]
    assert "bukan instansi Anda (PROV-01)" in error.errors[0].message
    assert not Registration.objects.filter(nip__in=[nip(1), nip(2)]).exists()
    # The column may be absent, empty or the own code.
    result = run(world, [row(serial=3, kode_instansi="prov-01", jenjang="JPT Pratama")],
                 agency=agency_a, by=operator)
    assert result.created == 1
    assert Registration.objects.get(nip=nip(3)).agency == agency_a


def test_operator_of_agency_b_cannot_import_into_agency_a_through_the_page(client, world):
    operator_b = make_user(Role.OPERATOR, username="op-b", agency=world["agency_b"])
    client.force_login(operator_b)
    content = xlsx([row(serial=1, kode_instansi="PROV-01", jenjang="JPT Pratama")])
    upload = io.BytesIO(content)
    upload.name = "usulan.xlsx"
    response = client.post(reverse("nominations:nomination_import"), {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="import-errors"' in page and "bukan instansi Anda (PROV-02)" in page
    assert not Registration.objects.filter(nip=nip(1)).exists()
    # Nor does the list or the export show agency_a's records.
    listed = client.get(reverse("nominations:nomination_list"),
                        {"agency": world["agency_a"].pk})
    assert NIP_MALE not in listed.content.decode()
    exported = client.get(reverse("nominations:nomination_export"))
    assert NIP_MALE not in _export_rows(exported)


def test_the_page_keeps_the_choice_and_explains_a_bad_file(client, world):
    client.force_login(world["users"][Role.ORGANISER])
    upload = io.BytesIO(b"bukan excel")
    upload.name = "usulan.txt"
    response = client.post(reverse("nominations:nomination_import"),
                           {"file": upload, "dry_run": "on"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "unggah berkas Excel (.xlsx)" in form.errors["file"][0]
    assert response.context["form"]["dry_run"].value() is True


# -- dry run and the command ----------------------------------------------------------------

def test_dry_run_checks_but_writes_nothing(client, world):
    before = Registration.objects.count()
    result = run(world, [row(serial=1), row(serial=2, kode_instansi="PROV-01",
                                            jenjang="JPT Pratama")], dry_run=True)
    assert (result.checked, result.created, result.dry_run) == (2, 0, True)
    assert Registration.objects.count() == before
    client.force_login(world["users"][Role.ORGANISER])
    upload = io.BytesIO(xlsx([row(serial=1)]))
    upload.name = "usulan.xlsx"
    response = client.post(reverse("nominations:nomination_import"),
                           {"file": upload, "dry_run": "on"}, follow=True)
    assert "Pemeriksaan saja: 1 baris benar" in response.content.decode()
    assert Registration.objects.count() == before


def test_command_prints_each_bad_row_and_exits_non_zero(roomy, tmp_path, capsys):
    path = tmp_path / "usulan.xlsx"
    path.write_bytes(xlsx([row(serial=1), row(serial=2, nip="123"), row(serial=1)]))
    with pytest.raises(CommandError, match="2 kesalahan di 2 baris"):
        call_command("import_nominations", str(path), "--program", "2019")
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("Baris 3, kolom nip: NIP harus terdiri dari 18 angka")
    assert err[1] == f"Baris 4, kolom nip: NIP {nip(1)} ganda: sudah ada di baris 2"
    assert not Registration.objects.filter(nip=nip(1)).exists()


def test_command_dry_run_and_import(world, tmp_path, capsys):
    path = tmp_path / "usulan.xlsx"
    path.write_bytes(xlsx([row(serial=1), row(serial=2, jenjang="Administrator")]))
    call_command("import_nominations", str(path), "--program", "2019", "--dry-run")
    assert "Pemeriksaan saja: 2 baris benar" in capsys.readouterr().out
    assert not Registration.objects.filter(nip=nip(1)).exists()
    call_command("import_nominations", str(path), "--program", "2019")
    assert capsys.readouterr().out.strip() == (
        "2 usulan diimpor (Administrator 1, Pengawas 1; 1 instansi).")
    assert Registration.objects.filter(nip__in=[nip(1), nip(2)], nominated_by=None).count() == 2
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("import_nominations", str(path), "--program", "2031")
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("import_nominations", str(tmp_path / "x.xlsx"), "--program", "2019")


# -- list filters and export ----------------------------------------------------------------

@pytest.fixture
def more(roomy):
    """agency_b (Bali) gets Pengawas and JPT Pratama; a third agency in Aceh gets Pengawas."""
    world = roomy
    Agency.objects.create(code="KAB-01", name="BKPSDM Kabupaten Aceh Besar",
                          kind=AgencyKind.REGENCY_CITY, province="Aceh")
    run(world, [row(serial=1), row(serial=2, jenjang="JPT Pratama", nama_lengkap="Siti Aminah"),
                row(serial=3, kode_instansi="KAB-01")])
    return world


KNOWN = {NIP_MALE, NIP_FEMALE, nip(1), nip(2), nip(3)}


def _names(response) -> set[str]:
    """The NIPs listed, among those this module knows (other fixtures may add more)."""
    return {record.nip for record in response.context["table"].page.object_list.data} & KNOWN


def test_list_filters_for_the_organiser(client, more):
    client.force_login(more["users"][Role.ORGANISER])
    url = reverse("nominations:nomination_list")
    assert _names(client.get(url)) == KNOWN
    assert _names(client.get(url, {"agency": more["agency_b"].pk})) == {nip(1), nip(2)}
    assert _names(client.get(url, {"province": "Aceh"})) == {NIP_MALE, NIP_FEMALE, nip(3)}
    pengawas = Level.objects.get(code="pengawas")
    assert _names(client.get(url, {"level": pengawas.pk, "province": "Aceh"})) == {
        NIP_MALE, nip(3)}
    assert _names(client.get(url, {"status": "invited"})) == {NIP_FEMALE}
    assert _names(client.get(url, {"q": "aminah"})) == {nip(2)}
    assert _names(client.get(url, {"q": nip(3)})) == {nip(3)}
    assert _names(client.get(url, {"q": nip(3)[:15]})) == {nip(1), nip(2), nip(3)}
    Registration.objects.filter(nip=nip(1)).update(status=Status.DECLINED)
    assert nip(1) not in _names(client.get(url))
    assert _names(client.get(url, {"status": "declined"})) == {nip(1)}
    # An impossible value is reported next to the filter instead of failing the page.
    response = client.get(url, {"level": "999"})
    assert response.status_code == 200 and response.context["filter"].form.errors["level"]


def test_list_filters_for_an_operator_stay_within_the_agency(client, more):
    client.force_login(more["users"][Role.OPERATOR])
    url = reverse("nominations:nomination_list")
    response = client.get(url, {"agency": more["agency_b"].pk})
    assert "agency" not in response.context["filter"].form.fields
    assert _names(response) == {NIP_MALE, NIP_FEMALE}
    assert _names(client.get(url, {"province": "Bali"})) == set()
    page = client.get(url).content.decode()
    assert reverse("nominations:nomination_import") in page
    assert reverse("nominations:nomination_export") in page


def _export_rows(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return [list(values) for values in sheet.iter_rows(values_only=True)]


def test_export_respects_scope_and_filters(client, more):
    client.force_login(more["users"][Role.OPERATOR])
    rows = _export_rows(client.get(reverse("nominations:nomination_export"),
                                   {"agency": more["agency_b"].pk}))
    assert rows[0] == ["Instansi", "Provinsi", "Jenjang", "NIP", "Nama lengkap", "Jabatan",
                       "Unit kerja", "E-mail", "HP", "Status", "Tanggal usulan"]
    assert {NIP_MALE, NIP_FEMALE} <= {r[3] for r in rows[1:]}
    assert {r[0] for r in rows[1:]} == {"BKD Provinsi Aceh"}
    assert len(rows) == 1 + Registration.objects.filter(agency=more["agency_a"]).exclude(
        status=Status.DECLINED).count()

    client.force_login(more["users"][Role.ORGANISER])
    rows = _export_rows(client.get(reverse("nominations:nomination_export"),
                                   {"province": "Bali", "level": Level.objects.get(
                                       code="pengawas").pk}))
    assert len(rows) == 2
    assert rows[1][:4] == ["BKD Provinsi Bali", "Bali", "Pengawas", nip(1)]
    assert rows[1][8:10] == ["+6281234567890", "Diusulkan"]
    assert rows[1][10].year >= 2024
    everything = _export_rows(client.get(reverse("nominations:nomination_export")))
    shown = Registration.objects.exclude(status=Status.DECLINED).count()
    assert len(everything) == 1 + shown and {r[3] for r in everything} >= KNOWN


def test_export_keeps_formula_like_text_as_text(client, world):
    Registration.objects.filter(nip=NIP_MALE).update(full_name="=HYPERLINK(\"x\")")
    client.force_login(world["users"][Role.ORGANISER])
    response = client.get(reverse("nominations:nomination_export"))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = [r[4] for r in sheet.iter_rows(min_row=2) if r[3].value == NIP_MALE]
    assert cells[0].data_type == "s" and cells[0].value == "=HYPERLINK(\"x\")"


# -- constant queries -----------------------------------------------------------------------

def _grow(world, start: int, count: int, *, own: bool) -> None:
    """count more nominations: the operator's agency (own) or new agencies in Bali."""
    if own:
        codes = ["PROV-01"] * count
    else:
        codes = [agency.code for agency in Agency.objects.bulk_create(
            Agency(code=f"G-{start + i}", name=f"Instansi {start + i}",
                   kind=AgencyKind.PROVINCE, province="Bali") for i in range(count))]
    run(world, [row(serial=start + i, kode_instansi=code, jenjang="JPT Pratama")
                for i, code in enumerate(codes)])


def _queries(client, url, params) -> int:
    return count_queries(client, url, params)


@pytest.mark.parametrize("role", [Role.ORGANISER, Role.OPERATOR])
@pytest.mark.parametrize("name", ["nominations:nomination_list",
                                  "nominations:nomination_export",
                                  "nominations:nomination_import"])
def test_constant_queries(client, world, role, name):
    ProgramQuota.objects.filter(program=world["program"]).update(seats_per_agency=100)
    client.force_login(world["users"][role])
    url = reverse(name)
    params = {} if name.endswith("import") else {"level": Level.objects.get(code="jpt-pratama").pk}
    own = role == Role.OPERATOR
    _grow(world, 100, 2, own=own)
    client.get(url, params)  # warm up (session, content types)
    small = _queries(client, url, params)
    _grow(world, 200, 60, own=own)
    assert _queries(client, url, params) == small
