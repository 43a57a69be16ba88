"""Required documents, work history and the agency's nomination letter."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kompeten.accounts.models import Role
from kompeten.common.models import StoredFile
from kompeten.common.upload_limits import CappedUploadHandler
from kompeten.nominations import letters as letter_services
from kompeten.nominations import selectors as letter_selectors
from kompeten.nominations import services as registration_services
from kompeten.nominations.models import NominationLetter
from kompeten.participants import document_selectors, document_services
from kompeten.participants.models import Document, WorkHistoryEntry
from kompeten.participants.work_history_services import (
    Position,
    add_work_history_entry,
    delete_work_history_entry,
    update_work_history_entry,
)
from kompeten.programs.models import Agency, AgencyKind, Level
from kompeten.registration import checklist
from tests.conftest import make_user, nominee
from tests.upload_samples import image_bytes, pdf_bytes, upload

TODAY = dt.date(2019, 4, 25)
NIP_OTHER = "197805122005011003"


def files_on_disk() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def ctx(world):
    """The world plus agency_b's operator and a participant of agency_b."""
    operator_b = make_user(Role.OPERATOR, username="operator-b", agency=world["agency_b"])
    participant_b = make_user(Role.PARTICIPANT, username=NIP_OTHER)
    other = registration_services.nominate(
        program=world["program"], agency=world["agency_b"],
        level=Level.objects.get(code="pengawas"), nominee=nominee(NIP_OTHER), by=operator_b)
    other.user, other.status = participant_b, "registered"
    other.save()
    return {**world, "operator_b": operator_b, "participant_b": participant_b,
            "other_registration": other}


def _sp(ctx, name="sp.pdf", data=None):
    return document_services.replace_document(
        registration=ctx["registration"], kind="sp", upload=upload(name, data or pdf_bytes()),
        by=ctx["users"][Role.PARTICIPANT])


def _letter(ctx, number="800/1/BKD/2019", data=None, operator=None):
    return letter_services.upload_nomination_letter(
        program=ctx["program"], agency=ctx["agency_a"], number=number, date=dt.date(2019, 4, 1),
        upload=upload("usulan.pdf", data or pdf_bytes("Surat usulan")),
        by=operator or ctx["users"][Role.OPERATOR], today=TODAY)


# --- documents: services -----------------------------------------------------------------

@pytest.mark.django_db
def test_replacing_a_document_keeps_the_old_file_as_history(ctx):
    first = _sp(ctx, "sp-lama.pdf", pdf_bytes("lama"))
    second = _sp(ctx, "sp-baru.pdf", pdf_bytes("baru"))
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    assert StoredFile.objects.count() == 2 and len(files_on_disk()) == 2
    slot = next(s for s in document_selectors.document_slots(ctx["registration"])
                if s.kind == "sp")
    assert slot.current == second and slot.history == [first]
    assert "document_sp" not in {i.key for i in checklist.missing(
        ctx["registration"])}


@pytest.mark.django_db
def test_photo_must_be_an_upright_image(ctx):
    participant = ctx["users"][Role.PARTICIPANT]
    for name, data, expected in [
        ("foto.pdf", pdf_bytes(), "Berkas ini PDF, sedangkan yang diterima hanya JPEG/PNG"),
        ("foto.jpg", image_bytes("JPEG", size=(400, 300)), "Pas foto harus tegak"),
    ]:
        with pytest.raises(ValidationError) as caught:
            document_services.replace_document(
                registration=ctx["registration"], kind="photo", upload=upload(name, data),
                by=participant)
        assert expected in caught.value.messages[0]
    assert StoredFile.objects.count() == 0 and files_on_disk() == []
    photo = document_services.replace_document(
        registration=ctx["registration"], kind="photo",
        upload=upload("foto.png", image_bytes("PNG", size=(300, 400))), by=participant)
    assert photo.stored.content_type == "image/png"


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "allowed"), [
    ("registered", True), ("revision", True), ("submitted", False),
    ("accepted", False), ("rejected", False), ("invited", False), ("withdrawn", False),
])
def test_documents_can_be_replaced_until_submitted_or_when_sent_back(ctx, status, allowed):
    # Issue 7.1: after submission nothing of the file changes until it is sent back.
    registration = ctx["registration"]
    registration.status = status
    registration.save()
    if allowed:
        assert _sp(ctx).is_current
    else:
        with pytest.raises(ValidationError, match="tidak dapat diubah lagi"):
            _sp(ctx)
        assert StoredFile.objects.count() == 0 and files_on_disk() == []


@pytest.mark.django_db
def test_only_the_owner_uploads_documents(ctx):
    for user in [ctx["participant_b"], ctx["users"][Role.OPERATOR],
                 ctx["users"][Role.ORGANISER]]:
        with pytest.raises(PermissionDenied):
            document_services.replace_document(
                registration=ctx["registration"], kind="sp", upload=upload("a.pdf", pdf_bytes()),
                by=user)
    assert StoredFile.objects.count() == 0


# --- work history: services --------------------------------------------------------------

def _position(**changes) -> Position:
    values = {"position": "Kepala Subbidang Mutasi", "unit": "BKD Provinsi Aceh",
              "start_date": dt.date(2016, 1, 4), "end_date": None, "duties": "Mutasi pegawai"}
    values.update(changes)
    return Position(**values)


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"end_date": dt.date(2015, 1, 1)}, "end_date", "tidak boleh sebelum tanggal mulai"),
    ({"start_date": dt.date(2019, 5, 1)}, "start_date", "tidak boleh di masa depan"),
    ({"end_date": dt.date(2019, 12, 31)}, "end_date", "tidak boleh di masa depan"),
    ({"start_date": dt.date(2000, 1, 1)}, "start_date", "sebelum Anda berusia 18 tahun"),
    ({"start_date": None}, "start_date", "wajib diisi"),
    ({"position": "  "}, "position", "Jabatan wajib diisi"),
    ({"unit": ""}, "unit", "Unit kerja wajib diisi"),
])
def test_work_history_rules(ctx, changes, field, message):
    with pytest.raises(ValidationError) as caught:
        add_work_history_entry(registration=ctx["registration"], entry=_position(**changes),
                               by=ctx["users"][Role.PARTICIPANT], today=TODAY)
    assert message in " ".join(caught.value.message_dict[field])
    assert not WorkHistoryEntry.objects.exists()


@pytest.mark.django_db
def test_work_history_add_update_delete(ctx):
    participant = ctx["users"][Role.PARTICIPANT]
    entry = add_work_history_entry(
        registration=ctx["registration"], by=participant, today=TODAY,
        entry=_position(position="  Kepala   Subbidang ", end_date=dt.date(2016, 1, 4)))
    assert entry.position == "Kepala Subbidang"
    update_work_history_entry(item=entry, by=participant, today=TODAY,
                              entry=_position(position="Kepala Bidang"))
    entry.refresh_from_db()
    assert entry.position == "Kepala Bidang" and entry.end_date is None
    with pytest.raises(PermissionDenied):
        delete_work_history_entry(item=entry, by=ctx["participant_b"])
    delete_work_history_entry(item=entry, by=participant)
    assert not WorkHistoryEntry.objects.exists()


@pytest.mark.django_db
def test_work_history_is_locked_after_submission(ctx):
    participant = ctx["users"][Role.PARTICIPANT]
    entry = add_work_history_entry(registration=ctx["registration"], entry=_position(),
                                   by=participant, today=TODAY)
    ctx["registration"].status = "submitted"
    ctx["registration"].save()
    entry.refresh_from_db()
    with pytest.raises(ValidationError, match="tidak dapat diubah lagi"):
        delete_work_history_entry(item=entry, by=participant)
    with pytest.raises(ValidationError, match="tidak dapat diubah lagi"):
        add_work_history_entry(registration=ctx["registration"], entry=_position(),
                               by=participant, today=TODAY)
    with pytest.raises(PermissionDenied):
        add_work_history_entry(registration=ctx["registration"], entry=_position(),
                               by=ctx["users"][Role.OPERATOR], today=TODAY)


# --- nomination letter: services ---------------------------------------------------------

@pytest.mark.django_db
def test_nomination_letter_pdf_only_and_history_kept(ctx):
    with pytest.raises(ValidationError) as caught:
        _letter(ctx, data=image_bytes())
    assert "Berkas ini JPEG, sedangkan yang diterima hanya PDF" in " ".join(
        caught.value.message_dict["document"])
    assert StoredFile.objects.count() == 0 and files_on_disk() == []
    first = _letter(ctx, number="800/1/BKD/2019")
    second = _letter(ctx, number="800/2/BKD/2019")
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    assert letter_selectors.current_letter(program=ctx["program"],
                                             agency=ctx["agency_a"]) == second
    assert len(files_on_disk()) == 2


@pytest.mark.django_db
def test_nomination_letter_number_date_and_who(ctx):
    with pytest.raises(ValidationError) as caught:
        letter_services.upload_nomination_letter(
            program=ctx["program"], agency=ctx["agency_a"], number=" ", date=dt.date(2019, 5, 1),
            upload=upload("usulan.pdf", pdf_bytes()), by=ctx["users"][Role.OPERATOR],
            today=TODAY)
    errors = caught.value.message_dict
    assert "Nomor surat wajib diisi." in errors["number"]
    assert "Tanggal surat tidak boleh di masa depan." in errors["date"]
    for user in [ctx["operator_b"], ctx["users"][Role.ORGANISER]]:
        with pytest.raises(PermissionDenied):
            _letter(ctx, operator=user)
    assert not NominationLetter.objects.exists() and files_on_disk() == []


@pytest.mark.django_db
def test_agencies_without_letter(ctx):
    without = set(letter_selectors.agencies_without_letter(program=ctx["program"]))
    assert {ctx["agency_a"], ctx["agency_b"]} <= without
    _letter(ctx)
    without = set(letter_selectors.agencies_without_letter(program=ctx["program"]))
    assert ctx["agency_a"] not in without and ctx["agency_b"] in without


# --- download: the permission matrix -----------------------------------------------------

@pytest.mark.django_db
def test_download_permissions_for_a_participants_document(client, ctx):
    stored = _sp(ctx, "Surat Perintah.pdf").stored
    url = reverse("participants:download", args=[stored.pk])
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    users = ctx["users"]
    expected = {users[Role.PARTICIPANT]: 200, users[Role.OPERATOR]: 200,
                users[Role.ORGANISER]: 200, users[Role.FACILITATOR]: 404,
                users[Role.ASSESSOR]: 404, ctx["operator_b"]: 404, ctx["participant_b"]: 404}
    for user, status in expected.items():
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user
        if status == 200:
            assert response["Content-Type"] == "application/pdf"
            assert response["Content-Disposition"] == 'attachment; filename="Surat_Perintah.pdf"'
            assert response["X-Content-Type-Options"] == "nosniff"
            assert b"".join(response.streaming_content) == pdf_bytes()


@pytest.mark.django_db
def test_download_permissions_for_a_nomination_letter(client, ctx):
    stored = _letter(ctx).document
    url = reverse("participants:download", args=[stored.pk])
    users = ctx["users"]
    expected = {users[Role.ORGANISER]: 200, users[Role.OPERATOR]: 200, ctx["operator_b"]: 404,
                users[Role.PARTICIPANT]: 404, users[Role.ASSESSOR]: 404}
    for user, status in expected.items():
        client.force_login(user)
        assert client.get(url).status_code == status, user


@pytest.mark.django_db
def test_download_of_an_unknown_or_orphan_file_is_404(client, ctx):
    client.force_login(ctx["users"][Role.ORGANISER])
    assert client.get(reverse("participants:download", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_operator_of_another_agency_gets_404_on_agency_a_records(client, ctx):
    _sp(ctx)
    _letter(ctx)
    client.force_login(ctx["operator_b"])
    detail = client.get(reverse("nominations:nomination_detail",
                                args=[ctx["registration"].pk]))
    assert detail.status_code == 404
    letters = client.get(reverse("nominations:nomination_letters"))
    assert letters.status_code == 200
    assert "800/1/BKD/2019" not in letters.content.decode()
    for stored in StoredFile.objects.all():
        assert client.get(reverse("participants:download", args=[stored.pk])).status_code == 404


# --- pages -------------------------------------------------------------------------------

@pytest.mark.django_db
def test_documents_page_upload_good_and_bad(client, ctx):
    client.force_login(ctx["users"][Role.PARTICIPANT])
    url = reverse("participants:documents")
    page = client.get(url).content.decode()
    for label in ["Surat perintah (SP)", "Kartu BPJS", "Pas foto 3x4", "Portofolio"]:
        assert label in page
    bad = client.post(url, {"kind": "bpjs", "file": upload("bpjs.pdf", b"MZ" + b"\0" * 50)})
    assert bad.status_code == 200
    assert "Berkas bukan PDF/JPEG/PNG yang valid" in bad.content.decode()
    assert StoredFile.objects.count() == 0 and files_on_disk() == []
    good = client.post(url, {"kind": "bpjs", "file": upload("kartu bpjs.jpg", image_bytes())},
                       follow=True)
    assert "kartu_bpjs.jpg" in good.content.decode()
    assert Document.objects.get(kind="bpjs", is_current=True).stored.content_type == "image/jpeg"


@pytest.mark.django_db
def test_oversize_upload_over_http_is_refused_with_its_real_size(client, ctx, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    client.force_login(ctx["users"][Role.PARTICIPANT])
    photo = b"\xff\xd8\xff\xe0" + b"\0" * (3 * 1024 * 1024)
    response = client.post(reverse("participants:documents"),
                           {"kind": "photo", "file": upload("pas foto.jpg", photo)})
    text = response.content.decode()
    assert "berukuran 3,0 MB, melebihi batas 1 MB" in text
    # the body was parsed by the capped handler: at most limit+1 bytes were kept
    assert isinstance(response.wsgi_request.upload_handlers[0], CappedUploadHandler)
    assert StoredFile.objects.count() == 0 and files_on_disk() == []


@pytest.mark.django_db
def test_upload_views_still_check_csrf(ctx):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ctx["users"][Role.PARTICIPANT])
    response = client.post(reverse("participants:documents"),
                           {"kind": "sp", "file": upload("sp.pdf", pdf_bytes())})
    assert response.status_code == 403
    assert StoredFile.objects.count() == 0


@pytest.mark.django_db
def test_work_history_pages(client, ctx):
    client.force_login(ctx["users"][Role.PARTICIPANT])
    url = reverse("participants:work_history")
    bad = client.post(url, {"position": "Kepala Seksi Mutasi", "unit": "BKD Aceh",
                            "start_date": "2016-01-04", "end_date": "2015-01-01",
                            "duties": "Menyusun usulan mutasi"})
    text = bad.content.decode()
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in text
    assert 'value="Kepala Seksi Mutasi"' in text and "Menyusun usulan mutasi" in text
    client.post(url, {"position": "Kepala Seksi Mutasi", "unit": "BKD Aceh",
                      "start_date": "2016-01-04", "end_date": "", "duties": ""})
    entry = WorkHistoryEntry.objects.get()
    client.post(reverse("participants:work_history_edit", args=[entry.pk]),
                {"position": "Kepala Bidang Mutasi", "unit": "BKD Aceh",
                 "start_date": "04-01-2016", "end_date": ""})
    entry.refresh_from_db()
    assert entry.position == "Kepala Bidang Mutasi"
    client.force_login(ctx["participant_b"])
    assert client.get(reverse("participants:work_history_edit",
                              args=[entry.pk])).status_code == 404
    assert client.post(reverse("participants:work_history_delete",
                               args=[entry.pk])).status_code == 404
    client.force_login(ctx["users"][Role.PARTICIPANT])
    client.post(reverse("participants:work_history_delete", args=[entry.pk]))
    assert not WorkHistoryEntry.objects.exists()


@pytest.mark.django_db
def test_nomination_letter_pages(client, ctx):
    client.force_login(ctx["users"][Role.OPERATOR])
    url = reverse("nominations:nomination_letters")
    bad = client.post(url, {"number": "800/7/BKD/2019", "date": "2019-04-01",
                            "document": upload("usulan.pdf", pdf_bytes()[:100])})
    assert "PDF tidak utuh" in bad.content.decode()
    assert 'value="800/7/BKD/2019"' in bad.content.decode()
    assert files_on_disk() == []
    client.post(url, {"number": "800/7/BKD/2019", "date": "2019-04-01",
                      "document": upload("usulan.pdf", pdf_bytes())})
    letter = NominationLetter.objects.get()
    assert letter.agency == ctx["agency_a"] and letter.uploaded_by == ctx["users"][Role.OPERATOR]
    client.force_login(ctx["users"][Role.ORGANISER])
    aceh = client.get(url, {"province": "Aceh"}).content.decode()
    bali = client.get(url, {"province": "Bali"}).content.decode()
    assert "800/7/BKD/2019" in aceh and "800/7/BKD/2019" not in bali


@pytest.mark.django_db
def test_detail_page_shows_documents_and_work_history(client, ctx):
    _sp(ctx, "SP Agus.pdf")
    add_work_history_entry(registration=ctx["registration"], entry=_position(),
                           by=ctx["users"][Role.PARTICIPANT], today=TODAY)
    client.force_login(ctx["users"][Role.OPERATOR])
    text = client.get(reverse("nominations:nomination_detail",
                              args=[ctx["registration"].pk])).content.decode()
    assert "SP_Agus.pdf" in text and "Kepala Subbidang Mutasi" in text
    stored = StoredFile.objects.get()
    assert reverse("participants:download", args=[stored.pk]) in text


# --- constant queries --------------------------------------------------------------------

def _count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


def _grow_files(ctx, count: int) -> None:
    participant = ctx["users"][Role.PARTICIPANT]
    for i in range(count):
        for kind in ["sp", "bpjs", "portfolio"]:
            document_services.replace_document(
                registration=ctx["registration"], kind=kind,
                upload=upload(f"{kind}-{i}.pdf", pdf_bytes(str(i))), by=participant)
        add_work_history_entry(registration=ctx["registration"], by=participant, today=TODAY,
                               entry=_position(start_date=dt.date(2005 + i, 1, 1)))


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "name"), [
    (Role.PARTICIPANT, "participants:documents"),
    (Role.PARTICIPANT, "participants:work_history"),
    (Role.OPERATOR, "nominations:nomination_detail"),
    (Role.ORGANISER, "nominations:nomination_detail"),
])
def test_file_pages_have_constant_queries(client, ctx, role, name, django_assert_num_queries):
    client.force_login(ctx["users"][role])
    kwargs = {"pk": ctx["registration"].pk} if name.endswith("detail") else {}
    url = reverse(name, kwargs=kwargs)
    _grow_files(ctx, 1)
    small = _count(client, url)
    _grow_files(ctx, 5)
    with django_assert_num_queries(small):
        client.get(url)


@pytest.mark.django_db
def test_letters_page_has_constant_queries(client, ctx, django_assert_num_queries):
    client.force_login(ctx["users"][Role.ORGANISER])
    url = reverse("nominations:nomination_letters")

    def grow(start, count):
        for i in range(start, start + count):
            agency = Agency.objects.create(code=f"KAB-{i}", name=f"Pemkab {i}",
                                           kind=AgencyKind.REGENCY_CITY, province="Aceh")
            operator = make_user(Role.OPERATOR, username=f"op-{i}", agency=agency)
            letter_services.upload_nomination_letter(
                program=ctx["program"], agency=agency, number=f"800/{i}", date=TODAY,
                upload=upload("u.pdf", pdf_bytes()), by=operator, today=TODAY)

    grow(0, 2)
    small = _count(client, url, {"history": "on"})
    grow(2, 8)
    with django_assert_num_queries(small):
        client.get(url, {"history": "on"})
