import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kompeten.accounts.models import Role
from kompeten.programs.masterdata import KINDS
from kompeten.programs.models import Agency, Batch, CompetencyUnit


@pytest.fixture
def organiser_client(client, users, program):
    client.force_login(users[Role.ORGANISER])
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_lists_and_offers_a_form(organiser_client, kind):
    listing = organiser_client.get(reverse("programs:masterdata_list", args=[kind]))
    assert listing.status_code == 200
    assert organiser_client.get(reverse("programs:masterdata_create", args=[kind])).status_code \
        == 200


@pytest.mark.django_db
def test_unknown_kind_is_404(organiser_client):
    assert organiser_client.get(reverse("programs:masterdata_list", args=["gaji"])).status_code \
        == 404


@pytest.mark.django_db
def test_organiser_enters_the_official_unit_code(organiser_client):
    unit = CompetencyUnit.objects.get(qualification__code="pengawas", order=1)
    url = reverse("programs:masterdata_edit", args=["unit-kompetensi", unit.pk])
    response = organiser_client.post(url, {
        "qualification": unit.qualification_id, "order": 1, "code": "M.70KEP00.001.1",
        "title": unit.title})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert (unit.code, unit.code_is_demo) == ("M.70KEP00.001.1", False)


@pytest.mark.django_db
def test_duplicate_unit_code_is_refused_with_a_message(organiser_client):
    first, second = CompetencyUnit.objects.filter(qualification__code="pengawas")[:2]
    url = reverse("programs:masterdata_edit", args=["unit-kompetensi", second.pk])
    response = organiser_client.post(url, {
        "qualification": second.qualification_id, "order": second.order, "code": first.code,
        "title": second.title})
    assert response.status_code == 200
    assert "Kode unit sudah dipakai di kualifikasi ini." in response.content.decode()
    second.refresh_from_db()
    assert second.code != first.code


@pytest.mark.django_db
def test_batch_with_end_before_start_is_refused_and_input_kept(organiser_client, program):
    batch = program.batches.get(number=4)
    url = reverse("programs:masterdata_edit", args=["angkatan", batch.pk])
    response = organiser_client.post(url, {
        "program": program.pk, "number": 4, "level": batch.level_id, "start_date": "2019-07-02",
        "end_date": "2019-07-01", "capacity": 30, "venue": "Ruang Baru"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in html
    assert 'value="Ruang Baru"' in html  # what was typed is not lost
    batch.refresh_from_db()
    assert str(batch.end_date) == "2019-07-02"


@pytest.mark.django_db
def test_regional_agency_needs_a_province(organiser_client):
    url = reverse("programs:masterdata_create", args=["instansi"])
    data = {"code": "KAB-X", "name": "BKPSDM Kabupaten Contoh", "kind": "kabkota",
            "province": "", "email": "bkpsdm@contoh.example"}
    response = organiser_client.post(url, data)
    assert "Instansi daerah wajib mempunyai provinsi." in response.content.decode()
    assert not Agency.objects.filter(code="KAB-X").exists()
    response = organiser_client.post(url, {**data, "province": "Jawa Tengah"})
    assert response.status_code == 302
    assert Agency.objects.get(code="KAB-X").province == "Jawa Tengah"


@pytest.mark.django_db
def test_agency_list_filters_by_province(organiser_client, agency_a, agency_b):
    response = organiser_client.get(reverse("programs:masterdata_list", args=["instansi"]),
                                    {"province": "Bali"})
    html = response.content.decode()
    assert agency_b.name in html and agency_a.name not in html


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.mark.django_db
def test_schedule_upload_page_reports_every_bad_row(organiser_client, program):
    content = (b"angkatan,jenjang,tanggal_mulai,tanggal_selesai\n"
               b"80,Pengawas,2019-10-01,2019-10-02\n"
               b"81,Lurah,2019-10-01,2019-10-02\n"
               b"82,Pengawas,2019-13-01,2019-10-02\n")
    response = organiser_client.post(reverse("programs:schedule_import"), {
        "program": program.pk, "file": _upload("jadwal.csv", content)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 kesalahan ditemukan" in html
    assert "Lurah" in html
    assert not Batch.objects.filter(number__in=[80, 81, 82]).exists()


@pytest.mark.django_db
def test_schedule_upload_imports_a_good_file(organiser_client, program):
    content = b"angkatan;jenjang;tanggal_mulai;tanggal_selesai\n80;Pengawas;01/10/2019;02/10/2019\n"
    response = organiser_client.post(reverse("programs:schedule_import"), {
        "program": program.pk, "file": _upload("jadwal.csv", content)}, follow=True)
    assert "1 angkatan baru" in response.content.decode()
    assert Batch.objects.filter(number=80, program=program).exists()


@pytest.mark.django_db
def test_schedule_upload_refuses_other_file_types_and_oversize(organiser_client, program,
                                                               settings):
    response = organiser_client.post(reverse("programs:schedule_import"), {
        "program": program.pk, "file": _upload("jadwal.pdf", b"%PDF-1.4")})
    assert "gunakan .csv atau .xlsx" in response.content.decode()
    settings.IMPORT_MAX_BYTES = 10
    response = organiser_client.post(reverse("programs:schedule_import"), {
        "program": program.pk, "file": _upload("jadwal.csv", b"x" * 11)})
    assert "Berkas terlalu besar" in response.content.decode()
