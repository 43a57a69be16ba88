"""Issue 8.6: one validator for e-mail addresses; sending failures are visible and can be
retried, never a silent half state."""

import smtplib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from kompeten.accounts.models import Role
from kompeten.common.mail import clean_address, queue_email
from kompeten.common.models import MailStatus, OutgoingMail
from kompeten.nominations import services as nomination_services
from kompeten.programs.models import Level
from kompeten.registration.models import Invitation, Registration, Status
from tests.conftest import nominee

BAD_ADDRESSES = [
    "peserta@instansi.go.id\r\nBcc: semua@contoh.example",
    "peserta@instansi.go.id\nBcc: semua@contoh.example",
    "peserta@instansi.go.id,lain@contoh.example",
    "peserta@instansi.go.id, lain@contoh.example",
    "peserta@instansi.go.id;lain@contoh.example",
    "Peserta <peserta@instansi.go.id>",
]


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"x": (550, b"mailbox unavailable")})


@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_one_validator_refuses_lists_and_header_injection(address):
    with pytest.raises(ValidationError):
        clean_address(address)


def test_a_plain_address_is_accepted_and_normalised():
    assert clean_address("  Nama.Peserta@BKD.Acehprov.go.id ") == "nama.peserta@bkd.acehprov.go.id"


@pytest.mark.django_db
@pytest.mark.parametrize("address", BAD_ADDRESSES[:5])
def test_nominations_with_such_addresses_are_refused(program, agency_a, address):
    with pytest.raises(ValidationError) as caught:
        nomination_services.nominate(program=program, agency=agency_a,
                                     level=Level.objects.get(code="pengawas"), by=None,
                                     nominee=nominee(email=address))
    assert set(caught.value.message_dict) == {"email"}
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_the_nomination_form_refuses_a_list(client, world):
    client.force_login(world["users"][Role.OPERATOR])
    response = client.post(reverse("nominations:nominate"), {
        "level": Level.objects.get(code="jpt-pratama").pk, "nip": "196102121985091001",
        "full_name": "Dr. Siti", "position": "Kepala", "email": "a@instansi.go.id,b@x.example"})
    assert response.status_code == 200
    assert not Registration.objects.filter(nip="196102121985091001").exists()


@pytest.mark.django_db
def test_queue_email_refuses_a_bad_address_before_the_commit(db):
    with pytest.raises(ValidationError):
        queue_email(subject="Uji", body="Isi", to=["a@b.example\r\nBcc: c@d.example"])
    assert not OutgoingMail.objects.exists()


@pytest.mark.django_db
def test_inviting_a_stored_broken_address_changes_nothing(client, world,
                                                          django_capture_on_commit_callbacks):
    """The reproduction: a row stored before validation (CR/LF in the address). Inviting
    it used to commit "invited" and then fail with 500 while sending."""
    registration = world["invited"]
    Registration.objects.filter(pk=registration.pk).update(
        status=Status.NOMINATED, email="peserta@instansi.go.id\r\nBcc: semua@contoh.example")
    Invitation.objects.filter(registration=registration).delete()
    OutgoingMail.objects.all().delete()
    mail.outbox.clear()
    client.force_login(world["users"][Role.ORGANISER])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("nominations:invite", args=[registration.pk]),
                               follow=True)
    assert response.status_code == 200
    assert "tidak valid" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == Status.NOMINATED
    assert not Invitation.objects.filter(registration=registration).exists()
    assert not OutgoingMail.objects.exists() and mail.outbox == []


@pytest.mark.django_db
def test_a_failed_invitation_is_visible_and_sent_again(client, world, settings,
                                                       django_capture_on_commit_callbacks):
    organiser = world["users"][Role.ORGANISER]
    registration = world["invited"]
    client.force_login(organiser)
    settings.EMAIL_BACKEND = "tests.test_email_delivery.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("nominations:invite", args=[registration.pk]))
    assert response.status_code == 302  # not a 500 after the commit
    registration.refresh_from_db()
    assert registration.status == Status.INVITED
    failed = OutgoingMail.objects.get(status=MailStatus.FAILED)
    assert failed.to == [registration.email] and "SMTPRecipientsRefused" in failed.error
    listing = client.get(reverse("nominations:nomination_list")).content.decode()
    assert 'id="failed-invitations"' in listing and "E-mail undangan gagal" in listing
    only_failed = client.get(reverse("nominations:nomination_list"), {"mail": "failed"})
    assert registration.nip in only_failed.content.decode()
    assert world["registration"].nip not in only_failed.content.decode()
    detail = client.get(reverse("nominations:nomination_detail", args=[registration.pk]))
    assert "gagal terkirim" in detail.content.decode()
    assert 'id="invite-button"' in detail.content.decode()  # the retry

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("nominations:invite", args=[registration.pk]))
    assert [m.to for m in mail.outbox] == [[registration.email]]
    listing = client.get(reverse("nominations:nomination_list")).content.decode()
    assert 'id="failed-invitations"' not in listing
    detail = client.get(reverse("nominations:nomination_detail", args=[registration.pk]))
    assert "E-mail undangan terkirim" in detail.content.decode()


@pytest.mark.django_db
def test_any_failed_email_is_recorded_and_can_be_queued_again(settings,
                                                              django_capture_on_commit_callbacks):
    from kompeten.common.mail import retry

    settings.EMAIL_BACKEND = "tests.test_email_delivery.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        outgoing = queue_email(subject="Hasil review", body="Isi", to=["a@instansi.go.id"])
    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts) == (MailStatus.FAILED, 1)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        retry(mail=outgoing)
    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts, outgoing.error) == (MailStatus.SENT, 2, "")
    assert [m.to for m in mail.outbox] == [["a@instansi.go.id"]]
    with pytest.raises(ValidationError, match="sudah terkirim"):
        retry(mail=outgoing)
