import pytest
from django.core.management import call_command
from django.urls import reverse

from kompeten.access.rules import batches_for
from kompeten.accounts.models import Role, User
from kompeten.home.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_STAFF_BATCHES, load_demo
from kompeten.programs.models import Agency, AgencyKind, Batch, Program
from kompeten.programs.selectors import current_program
from kompeten.registration.models import Registration


@pytest.mark.django_db
def test_healthz_reports_the_database(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_a_broken_database(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error",
                               "detail": "RuntimeError"}


@pytest.mark.django_db
def test_not_found_page_is_indonesian(client):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


@pytest.mark.django_db
def test_language_switch_to_english(client, program):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Schedule" in html
    response = client.post(reverse("set_language"), {"language": "id", "next": "/"}, follow=True)
    assert '<html lang="id">' in response.content.decode()


@pytest.mark.django_db
def test_indonesian_is_the_default(client, program):
    html = client.get("/").content.decode()
    assert '<html lang="id">' in html
    assert "Lihat jadwal angkatan" in html


@pytest.mark.django_db
def test_operator_home_shows_own_agency_and_quota(client, users, agency_a, program):
    client.force_login(users[Role.OPERATOR])
    html = client.get("/").content.decode()
    assert agency_a.name in html
    assert "Kuota usulan peserta instansi Anda" in html


@pytest.mark.django_db
def test_demo_is_complete_and_idempotent():
    first = load_demo()
    assert first["batches"] == 50
    assert first["new_users"] == len(DEMO_ACCOUNTS)
    agencies = Agency.objects.count()
    assert agencies > 300
    assert set(Agency.objects.exclude(province="").values_list("province", flat=True)) \
        == {p for p, _label in Agency._meta.get_field("province").choices}
    assert Agency.objects.filter(kind=AgencyKind.BKN).count() == 1
    assert not Agency.objects.filter(is_demo=False).exists()
    second_registrations = Registration.objects.count()
    served_once = {name: batches_for(User.objects.get(username=name)).count()
                   for name in ("fasilitator", "asesor")}
    second = load_demo()
    assert second["new_users"] == 0 and second["new_agencies"] == 0
    assert Agency.objects.count() == agencies
    # The 2019 programme, its copy dated around today and a past copy (monev), once each.
    assert Batch.objects.count() == 150
    assert Program.objects.count() == 3
    assert current_program().code == first["current_program"] == second["current_program"]
    assert Registration.objects.count() == second_registrations
    # The demo facilitator and assessor serve a few batches of the current programme, once.
    for username in ("fasilitator", "asesor"):
        served = batches_for(User.objects.get(username=username))
        # (the facilitator also serves the batch of the e-learning demo)
        assert served.count() == served_once[username] >= DEMO_STAFF_BATCHES
        assert {batch.program.code for batch in served} == {first["current_program"]}
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.role == account.role
        assert user.check_password(DEMO_PASSWORD)


@pytest.mark.django_db
def test_load_demo_command_prints_the_logins(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    for account in DEMO_ACCOUNTS:
        assert account.username in out
