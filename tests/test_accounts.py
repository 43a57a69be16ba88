import re

import pytest
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse

from kompeten.accounts.models import Role, User
from tests.conftest import PASSWORD, make_user


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_each_role_logs_in_and_lands_on_its_home(client, users, program, role):
    user = users[role]
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD},
                           follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.templates[0].name == f"home/home_{role}.html"
    assert str(role.label) in response.content.decode()


@pytest.mark.django_db
def test_wrong_password_gets_an_indonesian_message(client, users):
    response = client.post(reverse("login"), {"username": users[Role.ORGANISER].username,
                                              "password": "salah"})
    assert response.status_code == 200
    assert "nama pengguna dan kata sandi yang benar" in response.content.decode().lower()


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_out(client, users, settings):
    username = users[Role.OPERATOR].username
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": username, "password": "salah"})
    locked = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert locked.status_code == 429
    assert "terkunci" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_reset_by_email(client, users, settings):
    settings.SITE_URL = "https://kompeten.example"
    user = users[Role.PARTICIPANT]
    response = client.post(reverse("password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert "Atur ulang kata sandi" in message.subject
    # The link uses SITE_URL (like every mailed link), not the request's host.
    assert "testserver" not in message.body
    link = re.search(r"https://kompeten\.example(/akun/kata-sandi/reset/\S+/)",
                     message.body).group(1)
    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "Baru-sekali-2019", "new_password2":
                                 "Baru-sekali-2019"})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Baru-sekali-2019")


@pytest.mark.django_db
def test_password_reset_for_unknown_email_sends_nothing(client, users):
    response = client.post(reverse("password_reset"), {"email": "tidak.ada@example.test"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.django_db
def test_password_change(client, users):
    user = users[Role.FACILITATOR]
    client.force_login(user)
    mismatch = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "Baru-sekali-2019",
        "new_password2": "Lain-sekali-2019"})
    assert mismatch.status_code == 200
    assert "tidak cocok" in mismatch.content.decode()
    client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "Baru-sekali-2019",
        "new_password2": "Baru-sekali-2019"})
    user.refresh_from_db()
    assert user.check_password("Baru-sekali-2019")


@pytest.mark.django_db
def test_logout_is_a_post(client, users):
    client.force_login(users[Role.ASSESSOR])
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_operator_without_agency_is_refused_by_the_database(agency_a):
    with pytest.raises(IntegrityError):
        User.objects.create(username="tanpa-instansi", role=Role.OPERATOR)


@pytest.mark.django_db
def test_admin_is_for_organiser_staff_only(client, users):
    client.force_login(users[Role.OPERATOR])
    assert client.get("/admin/").status_code == 302
    staff = make_user(Role.ORGANISER, username="staf")
    staff.is_staff = staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    assert client.get("/admin/accounts/user/").status_code == 200


@pytest.mark.django_db
def test_createsuperuser_gets_the_organiser_role():
    user = User.objects.create_superuser("root", "root@example.test", "x")
    assert user.role == Role.ORGANISER


@pytest.mark.django_db
def test_password_reset_link_ignores_the_host_header(client, users, settings):
    settings.SITE_URL = "http://127.0.0.1:8104"
    settings.ALLOWED_HOSTS = ["*"]
    client.post(reverse("password_reset"), {"email": users[Role.OPERATOR].email},
                HTTP_HOST="penyerang.example")
    body = mail.outbox[0].body
    assert "http://127.0.0.1:8104/akun/kata-sandi/reset/" in body
    assert "penyerang" not in body
