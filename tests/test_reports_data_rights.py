"""Data rights (UU PDP 27/2022): the participant's export and correction request, the
organiser's erasure after the retention period (and its refusals), every action logged."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from kompeten.accounts.models import Role
from kompeten.common.models import StoredFile
from kompeten.participants.models import WorkHistoryEntry
from kompeten.registration.models import Registration
from kompeten.reports import services
from kompeten.reports.filters import Criteria
from kompeten.reports.models import (
    CorrectionRequest,
    DataAction,
    DataRightsLog,
    Erasure,
    RetentionPolicy,
)
from kompeten.reports.selectors.funnel import funnel
from kompeten.reports.selectors.retention import erasable_from
from tests.conftest import make_user
from tests.pdf_text import text as pdf_text
from tests.reports_samples import certificate, report_world
from tests.upload_samples import matrix_document, matrix_work_history_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(world, users):
    """The world's participant with a document and a position on file."""
    matrix_document(world)
    matrix_work_history_entry(world)
    return world["registration"]


def test_participant_downloads_everything_as_json_and_pdf(client, users, person):
    client.force_login(users[Role.PARTICIPANT])
    response = client.get(reverse("reports:my_data_json"))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    registration = data["pendaftaran"][0]
    assert registration["data"]["NIP"] == person.nip
    assert registration["data"]["nama lengkap dengan gelar"] == person.full_name
    related = registration["terkait"]
    assert related["riwayat pekerjaan"][0]["jabatan"] == "Kepala Subbidang"
    assert any(row.get("jenis") for row in related.values() for row in row if
               isinstance(row, dict)) or related
    raw = response.content.decode()
    assert "password" not in raw and "token_hash" not in raw and "sha256" not in raw
    pdf = client.get(reverse("reports:my_data_pdf"))
    text = pdf_text(pdf.content)
    assert person.nip in text and "Kepala Subbidang" in text
    assert list(DataRightsLog.objects.filter(subject_user=users[Role.PARTICIPANT])
                .values_list("action", flat=True).order_by("pk")) == [
        DataAction.EXPORT_JSON, DataAction.EXPORT_PDF]


def test_export_holds_only_the_participants_own_registrations(client, world, users):
    client.force_login(users[Role.PARTICIPANT])
    data = json.loads(client.get(reverse("reports:my_data_json")).content)
    nips = {r["data"]["NIP"] for r in data["pendaftaran"] if r["data"]}
    assert nips == {world["registration"].nip}


def test_correction_request_is_a_row_the_organiser_handles(client, users, person):
    client.force_login(users[Role.PARTICIPANT])
    client.post(reverse("reports:correction_request"),
                {"registration": person.pk, "text": "Gelar saya M.Si., bukan M.Sc."})
    request = CorrectionRequest.objects.get()
    assert request.status == "open" and request.registration == person
    client.force_login(users[Role.ORGANISER])
    page = client.get(reverse("reports:corrections")).content.decode()
    assert "Gelar saya M.Si., bukan M.Sc." in page
    # a rejection without a reason is refused, nothing changes
    client.post(reverse("reports:correction_handle", args=[request.pk]), {"status": "rejected"})
    request.refresh_from_db()
    assert request.status == "open"
    client.post(reverse("reports:correction_handle", args=[request.pk]), {"status": "done"})
    request.refresh_from_db()
    assert request.status == "done" and request.handled_by == users[Role.ORGANISER]
    assert set(DataRightsLog.objects.values_list("action", flat=True)) == {
        DataAction.CORRECTION, DataAction.CORRECTION_HANDLED}


def test_participant_cannot_ask_for_another_persons_registration(client, world, users):
    other = Registration.objects.exclude(pk=world["registration"].pk).first()
    client.force_login(users[Role.PARTICIPANT])
    client.post(reverse("reports:correction_request"), {"registration": other.pk, "text": "x"})
    assert not CorrectionRequest.objects.exists()


def _past(program):
    """The programme ended in 2015 with a one-year retention."""
    program.batches.update(start_date=dt.date(2015, 6, 1), end_date=dt.date(2015, 6, 2))
    program.stages.update(date=dt.date(2015, 1, 1), end_date=dt.date(2015, 6, 30))
    RetentionPolicy.objects.create(program=program, retention_years=1)


def _erase(client, registration):
    page = client.get(reverse("reports:erase", args=[registration.pk]))
    token = page.context["form"].initial["token"]
    return client.post(reverse("reports:erase", args=[registration.pk]), {"token": token})


def test_erase_before_retention_is_refused_and_logged(client, world, users, person):
    RetentionPolicy.objects.create(program=world["program"], retention_years=30)
    client.force_login(users[Role.ORGANISER])
    page = client.get(reverse("reports:erase", args=[person.pk]))
    assert "Masa retensi" in page.content.decode()
    _erase(client, person)
    person.refresh_from_db()
    assert person.full_name == "Drs. Agus Pratama, M.Si."
    assert not Erasure.objects.exists()
    assert DataRightsLog.objects.get().action == DataAction.ERASE_REFUSED


def test_forged_erase_is_refused(client, world, users, person):
    _past(world["program"])
    client.force_login(users[Role.ORGANISER])
    url = reverse("reports:erase", args=[person.pk])
    client.post(url)  # no confirmation
    client.post(url, {"token": "bukan-token"})
    other = Registration.objects.exclude(pk=person.pk).first()
    token_for_other = services.erase_token(registration=other, by=users[Role.ORGANISER])
    client.post(url, {"token": token_for_other})
    another_organiser = make_user(Role.ORGANISER, username="org-2")
    client.force_login(another_organiser)
    client.post(url, {"token": services.erase_token(registration=person,
                                                    by=users[Role.ORGANISER])})
    person.refresh_from_db()
    assert person.nip == "198503152010011002"
    assert not Erasure.objects.exists()
    assert DataRightsLog.objects.filter(action=DataAction.ERASE_REFUSED).count() == 4
    client.force_login(users[Role.PARTICIPANT])
    assert client.post(url, {"token": token_for_other}).status_code == 403


def test_erase_after_retention_keeps_the_statistics(client, world, users, person):
    program = world["program"]
    _past(program)
    assert erasable_from(program) == dt.date(2016, 6, 3)
    before = funnel(criteria=Criteria(program=program)).totals
    files = StoredFile.objects.filter(uploaded_by=users[Role.PARTICIPANT])
    stored_name = files.get().file.name
    issued = certificate(person)
    client.force_login(users[Role.ORGANISER])
    response = _erase(client, person)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.full_name.startswith("Data dihapus") and person.nip.startswith("X")
    assert person.email.endswith("@dihapus.invalid") and person.phone == ""
    assert person.birth_date == dt.date(person.birth_date.year, 1, 1)
    assert person.agency == world["agency_a"] and person.level.code == "pengawas"
    assert person.status == "registered"
    assert not WorkHistoryEntry.objects.filter(registration=person).exists()
    stored = StoredFile.objects.get(uploaded_by=users[Role.PARTICIPANT])
    assert not stored.file and stored.size == 0
    assert not stored.file.storage.exists(stored_name) if stored.file else True
    account = users[Role.PARTICIPANT]
    account.refresh_from_db()
    assert not account.is_active and not account.has_usable_password()
    assert account.email == "" and account.username.startswith("dihapus-")
    assert funnel(criteria=Criteria(program=program)).totals[:5] == before[:5]
    issued.refresh_from_db()
    assert issued.nip == person.nip and issued.full_name == person.full_name
    assert Erasure.objects.get().registration == person
    assert DataRightsLog.objects.filter(action=DataAction.ERASE).count() == 1
    # a second erasure is refused
    client.force_login(users[Role.ORGANISER])
    page = client.get(reverse("reports:erase", args=[person.pk])).content.decode()
    assert "sudah dihapus" in page


def test_retention_setting_page(client, users, world):
    client.force_login(users[Role.ORGANISER])
    url = reverse("reports:retention") + f"?tahun={world['program'].code}"
    assert client.post(url, {"retention_years": 0}).status_code == 200
    assert not RetentionPolicy.objects.exists()
    client.post(url, {"retention_years": 10})
    assert RetentionPolicy.objects.get(program=world["program"]).retention_years == 10


def test_reports_world_builds():
    assert report_world()["program"].registrations.count() == 11


@pytest.mark.parametrize("name", ["reports:my_data_json", "reports:my_data_pdf"])
def test_personal_data_export_keeps_constant_queries(client, users, person, name):
    """One query per related table and level, whatever the number of rows in it."""
    import datetime as dt

    from kompeten.participants.work_history_services import Position, add_work_history_entry
    from tests.queries import count_queries

    client.force_login(users[Role.PARTICIPANT])
    one = count_queries(client, reverse(name))
    for year in range(2016, 2024):
        add_work_history_entry(
            registration=person, by=users[Role.PARTICIPANT],
            entry=Position(position=f"Jabatan {year}", unit="BKD",
                           start_date=dt.date(year, 1, 1), end_date=dt.date(year, 12, 31)))
    CorrectionRequest.objects.bulk_create(
        CorrectionRequest(registration=person, text=f"Koreksi {n}", created_at=timezone.now())
        for n in range(5))
    assert count_queries(client, reverse(name)) == one
    data = json.loads(client.get(reverse("reports:my_data_json")).content)
    related = data["pendaftaran"][0]["terkait"]
    assert len(related["riwayat pekerjaan"]) == 9
