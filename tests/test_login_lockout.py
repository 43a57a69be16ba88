"""Login lock-out: per username+IP with a growing delay, under a ceiling per IP address."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.urls import reverse

from kompeten.accounts.models import Role
from tests.conftest import PASSWORD

OFFICE = "10.1.1.1"
STRANGER = "10.9.9.9"


def _login(client, username, password, ip):
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=ip)


def _logged_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.wsgi_request.session


def _wait(minutes: float) -> None:
    """Let time pass for the lock-out: move every recorded failure back."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


@pytest.mark.django_db
def test_spraying_many_usernames_from_one_address_locks_the_address(client, users, settings):
    assert settings.LOGIN_IP_FAILURE_LIMIT == 20
    for number in range(20):
        response = _login(client, f"pegawai-{number}", "kompeten2019", STRANGER)
    assert response.status_code == 429
    organiser = users[Role.ORGANISER].username
    # Even a right password from that address waits now; other addresses are not affected.
    assert _login(client, organiser, PASSWORD, STRANGER).status_code == 429
    assert _logged_in(_login(client, organiser, PASSWORD, OFFICE))


@pytest.mark.django_db
def test_nineteen_failures_from_one_address_do_not_lock_it(client, users):
    for number in range(19):
        _login(client, f"pegawai-{number}", "kompeten2019", OFFICE)
    assert _logged_in(_login(client, users[Role.OPERATOR].username, PASSWORD, OFFICE))


@pytest.mark.django_db
def test_a_stranger_elsewhere_cannot_lock_an_official_out(client, users):
    official = users[Role.OPERATOR].username
    for _attempt in range(12):
        _login(client, official, "tebakan", STRANGER)
    assert _login(client, official, PASSWORD, STRANGER).status_code == 429
    assert _logged_in(_login(client, official, PASSWORD, OFFICE))


@pytest.mark.django_db
def test_the_lock_is_a_short_delay_that_grows(client, users, settings):
    assert settings.LOGIN_LOCK_MINUTES == 2
    official = users[Role.OPERATOR].username
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, official, "salah", OFFICE)
    assert _login(client, official, PASSWORD, OFFICE).status_code == 429
    _wait(minutes=1)
    assert _login(client, official, PASSWORD, OFFICE).status_code == 429
    _wait(minutes=1.5)  # 2.5 minutes after the fifth failure: the first lock is over
    assert _login(client, official, "salah lagi", OFFICE).status_code == 429
    _wait(minutes=3)  # one more failure doubled the delay to 4 minutes
    assert _login(client, official, PASSWORD, OFFICE).status_code == 429
    _wait(minutes=1.5)
    assert _logged_in(_login(client, official, PASSWORD, OFFICE))


@pytest.mark.django_db
def test_the_delay_never_exceeds_the_longest_lock(client, users, settings):
    official = users[Role.OPERATOR].username
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, official, "salah", OFFICE)
    AccessAttempt.objects.update(failures_since_start=50)
    _wait(minutes=settings.AXES_COOLOFF_TIME.total_seconds() / 60 - 1)
    assert _login(client, official, PASSWORD, OFFICE).status_code == 429
    _wait(minutes=1.5)
    assert _logged_in(_login(client, official, PASSWORD, OFFICE))
