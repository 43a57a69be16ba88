import re

import pytest
from django.core import mail
from django.urls import reverse

from kompeten.accounts.models import Role
from kompeten.programs.models import Level
from kompeten.registration import checklist as registration_checklist
from kompeten.registration.models import Registration, Status
from tests.conftest import NIP_MALE, make_user

FORM = {"nip": "197701012005011003", "full_name": "Dr. Siti Aminah, M.Si.",
        "position": "Kepala Bidang Mutasi", "work_unit": "BKD", "email": "siti@aceh.example",
        "phone": "0812 3456 7890"}


@pytest.mark.django_db
def test_operator_nominates_through_the_form(client, world):
    client.force_login(world["users"][Role.OPERATOR])
    level = Level.objects.get(code="jpt-pratama")
    response = client.post(reverse("nominations:nominate"), {**FORM, "level": level.pk})
    assert response.status_code == 302
    registration = Registration.objects.get(nip=FORM["nip"])
    assert registration.agency == world["agency_a"]
    assert registration.phone == "+6281234567890"


@pytest.mark.django_db
def test_nominate_form_shows_errors_next_to_fields_and_keeps_input(client, world):
    client.force_login(world["users"][Role.OPERATOR])
    level = Level.objects.get(code="jpt-pratama")
    response = client.post(reverse("nominations:nominate"),
                           {**FORM, "nip": "196102121985093001", "level": level.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_nip-error"' in html and "jenis kelamin" in html
    assert 'value="Dr. Siti Aminah, M.Si."' in html


@pytest.mark.django_db
def test_full_quota_and_duplicate_are_explained(client, world):
    client.force_login(world["users"][Role.OPERATOR])
    pengawas = Level.objects.get(code="pengawas")
    full = client.post(reverse("nominations:nominate"), {**FORM, "level": pengawas.pk})
    assert "sudah penuh" in full.content.decode()
    duplicate = client.post(reverse("nominations:nominate"),
                            {**FORM, "nip": NIP_MALE, "level": pengawas.pk})
    assert "sudah diusulkan" in duplicate.content.decode()


@pytest.mark.django_db
def test_operator_of_another_agency_gets_404(client, world):
    other = make_user(Role.OPERATOR, username="operator-b", agency=world["agency_b"])
    client.force_login(other)
    pk = world["registration"].pk
    assert client.get(reverse("nominations:nomination_detail", args=[pk])).status_code == 404
    assert client.post(reverse("nominations:withdraw", args=[pk])).status_code == 404
    listing = client.get(reverse("nominations:nomination_list")).content.decode()
    assert world["registration"].nip not in listing


@pytest.mark.django_db
def test_the_whole_invitation_path(client, world, django_capture_on_commit_callbacks):
    operator, organiser = world["users"][Role.OPERATOR], world["users"][Role.ORGANISER]
    client.force_login(operator)
    level = Level.objects.get(code="jpt-pratama")
    client.post(reverse("nominations:nominate"), {**FORM, "level": level.pk})
    registration = Registration.objects.get(nip=FORM["nip"])
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("nominations:invite", args=[registration.pk]))
    link = re.search(r"http://\S+(/undangan/\S+/)", mail.outbox[-1].body).group(1)
    client.logout()
    page = client.get(link)
    assert "Dr. Siti Aminah, M.Si." in page.content.decode()
    mismatch = client.post(link, {"password1": "Sandi-baru-2019", "password2": "lain",
                                  "agree": "on"})
    assert "tidak sama" in mismatch.content.decode()
    done = client.post(link, {"password1": "Sandi-baru-2019", "password2": "Sandi-baru-2019",
                              "agree": "on"}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("participants:my_registration")
    assert "Kelengkapan pendaftaran" in done.content.decode()
    registration.refresh_from_db()
    assert registration.status == Status.REGISTERED
    again = client.get(link)
    assert again.status_code == 410 and "sudah dipakai" in again.content.decode()


@pytest.mark.django_db
def test_participant_edits_profile(client, world):
    client.force_login(world["users"][Role.PARTICIPANT])
    registration = world["registration"]
    data = {"full_name": "Drs. Agus Pratama, M.Si.", "position": "Kepala Subbidang",
            "work_unit": "BKD", "phone": "0813 1111 2222", "email": "agus@example.test",
            "mentor_name": "Dr. NH", "mentor_nip": "196102121985091001",
            "mentor_position": "Kepala Bidang", "mentor_email": "nh@example.test"}
    bad = client.post(reverse("participants:edit_profile"), {**data, "mentor_nip": "123"})
    assert "18 angka" in bad.content.decode()
    client.post(reverse("participants:edit_profile"), data)
    registration.refresh_from_db()
    assert (registration.phone, registration.mentor_name) == ("+6281311112222", "Dr. NH")
    checklist = {item.key: item.done for item in registration_checklist.checklist(registration)}
    assert checklist["profile"] is True


@pytest.mark.django_db
def test_participant_without_registration_sees_an_explanation(client, program):
    client.force_login(make_user(Role.PARTICIPANT, username="baru"))
    response = client.get(reverse("participants:my_registration"))
    assert response.status_code == 200
    assert "belum terdaftar" in response.content.decode()
    assert client.get(reverse("participants:edit_profile")).status_code == 404


@pytest.mark.django_db
def test_home_pages_show_registration_state(client, world):
    client.force_login(world["users"][Role.ORGANISER])
    html = client.get("/").content.decode()
    assert 'id="funnel"' in html
    assert "Surat pemberitahuan terkirim ke 0 dari" in html
    client.force_login(world["users"][Role.OPERATOR])
    html = client.get("/").content.decode()
    assert "Drs. Agus Pratama, M.Si." in html and "Riwayat pekerjaan" in html
    client.force_login(world["users"][Role.PARTICIPANT])
    html = client.get("/").content.decode()
    assert "Terdaftar" in html and 'id="checklist"' in html
