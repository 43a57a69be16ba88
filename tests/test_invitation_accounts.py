"""Issue 8.1: an invitation never takes over an existing account; one e-mail per person."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from kompeten.accounts.models import Role, User
from kompeten.nominations import services as nomination_services
from kompeten.programs.models import Level
from kompeten.registration import services as invitations
from kompeten.registration.models import Registration, Status
from tests.conftest import PASSWORD, make_user, nominee

OFFICIAL_NIP = "197701012005011003"
OLD_PASSWORD = "Sandi-lama-2018"
ATTACKER = "operator.nakal@contoh.example"


@pytest.fixture
def takeover(world, django_capture_on_commit_callbacks):
    """An official with an account from an earlier programme (own e-mail and password);
    another agency nominates the same NIP with an e-mail its operator controls, and the
    organiser invites as usual."""
    official = User(username=OFFICIAL_NIP, role=Role.PARTICIPANT,
                    email="pejabat@pribadi.example")
    official.set_password(OLD_PASSWORD)
    official.save()
    registration = nomination_services.nominate(
        program=world["program"], agency=world["agency_b"],
        level=Level.objects.get(code="administrator"), by=None,
        nominee=nominee(OFFICIAL_NIP, email=ATTACKER))
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite(registration=registration, by=world["users"][Role.ORGANISER])
    link = re.search(r"http://\S+(/undangan/\S+/)", mail.outbox[-1].body).group(1)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    return {**world, "official": official, "nomination": registration, "link": link,
            "token": token}


@pytest.mark.django_db
def test_the_invitation_cannot_set_the_password_of_an_existing_account(client, takeover):
    official, link = takeover["official"], takeover["link"]
    page = client.get(link).content.decode()
    assert 'id="account-exists"' in page and 'name="password1"' not in page
    assert f"?next={link.replace('/', '%2F')}" in page  # log in, then back here
    # the reproduction: posting a password as on a first invitation
    client.post(link, {"password1": "Punya-saya-2019", "password2": "Punya-saya-2019",
                       "agree": "on"})
    official.refresh_from_db()
    assert official.check_password(OLD_PASSWORD)
    assert not official.check_password("Punya-saya-2019")
    assert official.email == "pejabat@pribadi.example"
    assert "_auth_user_id" not in client.session
    nomination = Registration.objects.get(pk=takeover["nomination"].pk)
    assert (nomination.user, nomination.status) == (None, Status.INVITED)
    with pytest.raises(invitations.AccountExists):
        invitations.accept_invitation(token=takeover["token"], password="Punya-saya-2019")
    official.refresh_from_db()
    assert official.check_password(OLD_PASSWORD)
    # the e-mail to the nomination's address says to log in with the existing account
    assert "sudah memiliki akun" in mail.outbox[-1].body


@pytest.mark.django_db
def test_the_holder_logs_in_and_confirms_with_the_account(client, takeover):
    official, link = takeover["official"], takeover["link"]
    login = client.post(f"{reverse('login')}?next={link}",
                        {"username": OFFICIAL_NIP, "password": OLD_PASSWORD, "next": link})
    assert login.status_code == 302 and login.url == link
    page = client.get(link).content.decode()
    assert 'name="agree"' in page and 'name="password1"' not in page
    done = client.post(link, {"agree": "on"})
    assert done.url == reverse("participants:my_registration")
    nomination = Registration.objects.get(pk=takeover["nomination"].pk)
    assert (nomination.user, nomination.status) == (official, Status.REGISTERED)
    # the account's e-mail is the participant's e-mail; the nomination's never replaces it
    official.refresh_from_db()
    assert official.email == nomination.email == "pejabat@pribadi.example"
    assert official.check_password(OLD_PASSWORD)


@pytest.mark.django_db
def test_someone_else_logged_in_cannot_claim_the_invitation(client, takeover):
    other = make_user(Role.PARTICIPANT, username="198001012006041001")
    client.force_login(other)
    page = client.get(takeover["link"]).content.decode()
    assert 'id="other-user"' in page and 'name="agree"' not in page
    client.post(takeover["link"], {"agree": "on"})
    with pytest.raises(invitations.InvitationInvalid, match="Anda masuk sebagai"):
        invitations.accept_invitation_as(token=takeover["token"], user=other)
    assert Registration.objects.get(pk=takeover["nomination"].pk).user is None


@pytest.mark.django_db
def test_profile_email_is_the_login_email_and_password_reset_reaches_it(client, world):
    participant = world["users"][Role.PARTICIPANT]
    client.force_login(participant)
    data = {"full_name": "Drs. Agus Pratama, M.Si.", "position": "Kepala Subbidang",
            "work_unit": "BKD", "phone": "0813 1111 2222", "email": "Agus.Baru@Pribadi.example",
            "mentor_name": "Dr. NH", "mentor_nip": "", "mentor_position": "Kepala Bidang",
            "mentor_email": "nh@example.test"}
    assert client.post(reverse("participants:edit_profile"), data).status_code == 302
    participant.refresh_from_db()
    world["registration"].refresh_from_db()
    assert participant.email == world["registration"].email == "agus.baru@pribadi.example"
    client.logout()
    mail.outbox.clear()
    client.post(reverse("password_reset"), {"email": "agus.baru@pribadi.example"})
    assert [m.to for m in mail.outbox] == [["agus.baru@pribadi.example"]]
    assert participant.check_password(PASSWORD)
