import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from kompeten.accounts.models import Role, User
from kompeten.nominations import selectors, services
from kompeten.programs.models import Level
from kompeten.registration import selectors as registration_selectors
from kompeten.registration import services as invitations
from kompeten.registration.models import Registration, Status
from kompeten.review import submission
from tests.conftest import NIP_FEMALE, NIP_MALE, nominee


@pytest.fixture
def pengawas(program):
    return Level.objects.get(code="pengawas")


def _nominate(program, agency, level, nip, **overrides):
    return services.nominate(program=program, agency=agency, level=level,
                             nominee=nominee(nip, **overrides), by=None)


@pytest.mark.django_db
def test_nomination_derives_identity_and_keeps_titles(program, agency_a, pengawas):
    registration = _nominate(program, agency_a, pengawas, NIP_MALE,
                             full_name="  Drs.  Agus   Pratama, M.Si. ")
    assert registration.birth_date == dt.date(1985, 3, 15)
    assert registration.gender == "L"
    assert registration.full_name == "Drs. Agus Pratama, M.Si."
    assert registration.plain_name == "Agus Pratama"
    assert registration.phone == "+6281310713132"
    assert (registration.status, registration.seat) == (Status.NOMINATED, 1)


@pytest.mark.django_db
def test_invalid_fields_are_reported_per_field(program, agency_a, pengawas):
    with pytest.raises(ValidationError) as caught:
        _nominate(program, agency_a, pengawas, "196102121985093001", full_name="",
                  email="bukan-email", phone="12")
    assert set(caught.value.message_dict) == {"nip", "full_name", "email", "phone"}
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_pppk_needs_a_chosen_gender(program, agency_a, pengawas):
    with pytest.raises(ValidationError) as caught:
        _nominate(program, agency_a, pengawas, "198507202021007123", is_pppk=True)
    assert "gender" in caught.value.message_dict
    registration = _nominate(program, agency_a, pengawas, "198507202021007123", is_pppk=True,
                             gender="P")
    assert registration.gender == "P"


@pytest.mark.django_db
def test_same_nip_twice_is_refused_naming_the_first(program, agency_a, agency_b, pengawas):
    _nominate(program, agency_a, pengawas, NIP_MALE)
    with pytest.raises(ValidationError) as caught:
        _nominate(program, agency_b, pengawas, NIP_MALE)
    message = caught.value.message_dict["nip"][0]
    assert agency_a.name in message and "Pengawas" in message
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_quota_per_agency_and_level(program, agency_a, agency_b, pengawas):
    _nominate(program, agency_a, pengawas, NIP_MALE)
    with pytest.raises(ValidationError, match="sudah penuh"):
        _nominate(program, agency_a, pengawas, NIP_FEMALE)
    # another agency, or another level, still has its seat
    _nominate(program, agency_b, pengawas, NIP_FEMALE)
    administrator = Level.objects.get(code="administrator")
    _nominate(program, agency_a, administrator, "197701012005011003")
    usage = {u.level_name: (u.taken, u.seats) for u in
             selectors.quota_usage(program=program, agency=agency_a)}
    assert usage == {"JPT Pratama": (0, 1), "Administrator": (1, 1), "Pengawas": (1, 1)}


@pytest.mark.django_db
def test_declined_nomination_frees_its_seat(program, agency_a, pengawas):
    first = _nominate(program, agency_a, pengawas, NIP_MALE)
    services.decline_nomination(registration=first, by=None, reason="Bukan pejabat pengawas")
    second = _nominate(program, agency_a, pengawas, NIP_FEMALE)
    assert second.seat == 1


@pytest.mark.django_db
def test_quota_seat_is_a_database_invariant(program, agency_a, pengawas):
    first = _nominate(program, agency_a, pengawas, NIP_MALE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            program=program, agency=agency_a, level=pengawas, seat=first.seat,
            nip=NIP_FEMALE, birth_date=dt.date(1990, 1, 1), gender="P", full_name="X",
            plain_name="X", position="Y", email="x@example.test")


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="row locks and real concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_operators_cannot_take_the_last_seat_at_once(agency_a):
    from kompeten.programs.services import create_program_2019

    program = create_program_2019()
    level = Level.objects.get(code="pengawas")
    barrier = threading.Barrier(2)
    outcomes = []

    def submit(nip):
        try:
            barrier.wait()
            _nominate(program, agency_a, level, nip)
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(nip,)) for nip in (NIP_MALE, NIP_FEMALE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes)[-1] == "ok" and outcomes.count("ok") == 1
    assert any("penuh" in outcome for outcome in outcomes)
    assert Registration.objects.filter(agency=agency_a, level=level).count() == 1


@pytest.mark.django_db
def test_invitation_is_single_use_and_creates_the_participant(program, agency_a, pengawas,
                                                              django_capture_on_commit_callbacks):
    registration = _nominate(program, agency_a, pengawas, NIP_MALE)
    with django_capture_on_commit_callbacks(execute=True):
        token = invitations.invite(registration=registration)
    assert len(mail.outbox) == 1
    assert token in mail.outbox[0].body
    assert mail.outbox[0].to == [registration.email]
    user = invitations.accept_invitation(token=token, password="Sandi-baru-2019")
    assert (user.username, user.role) == (NIP_MALE, Role.PARTICIPANT)
    assert user.check_password("Sandi-baru-2019")
    registration.refresh_from_db()
    assert (registration.status, registration.user) == (Status.REGISTERED, user)
    with pytest.raises(invitations.InvitationInvalid, match="sudah dipakai"):
        invitations.accept_invitation(token=token, password="Lain-2019-xyz")


@pytest.mark.django_db
def test_no_email_when_the_invitation_is_rolled_back(program, agency_a, pengawas,
                                                    django_capture_on_commit_callbacks):
    registration = _nominate(program, agency_a, pengawas, NIP_MALE)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                invitations.invite(registration=registration)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == [] and mail.outbox == []


@pytest.mark.django_db
def test_invitation_expires_and_reinvite_revokes_old_links(program, agency_a, pengawas):
    registration = _nominate(program, agency_a, pengawas, NIP_MALE)
    old = invitations.invite(registration=registration)
    new = invitations.invite(registration=registration)
    with pytest.raises(invitations.InvitationInvalid, match="diganti"):
        invitations.invitation_for_token(token=old)
    later = timezone.now() + dt.timedelta(days=invitations.INVITATION_VALID_DAYS + 1)
    with pytest.raises(invitations.InvitationInvalid, match="kedaluwarsa"):
        invitations.accept_invitation(token=new, password="Sandi-baru-2019", now=later)
    with pytest.raises(invitations.InvitationInvalid, match="tidak dikenal"):
        invitations.invitation_for_token(token="palsu")
    assert not User.objects.filter(username=NIP_MALE).exists()


@pytest.mark.django_db
def test_declined_or_registered_nominees_cannot_be_invited(program, agency_a, pengawas):
    registration = _nominate(program, agency_a, pengawas, NIP_MALE)
    services.decline_nomination(registration=registration, by=None, reason="Tidak memenuhi syarat")
    with pytest.raises(ValidationError):
        invitations.invite(registration=registration)


@pytest.mark.django_db
def test_submit_is_refused_while_items_are_missing(world):
    registration = world["registration"]
    with pytest.raises(ValidationError) as caught:
        submission.submit_registration(registration=registration)
    message = caught.value.messages[0]
    assert "Riwayat pekerjaan" in message and "Kartu BPJS" in message
    registration.refresh_from_db()
    assert registration.status == Status.REGISTERED


@pytest.mark.django_db
def test_funnel_counts_each_step(program, agency_a, agency_b, pengawas):
    administrator = Level.objects.get(code="administrator")
    registered = _nominate(program, agency_a, pengawas, NIP_MALE)
    invitations.accept_invitation(token=invitations.invite(registration=registered),
                               password="Sandi-baru-2019")
    invitations.invite(registration=_nominate(program, agency_b, pengawas, NIP_FEMALE))
    _nominate(program, agency_a, administrator, "197701012005011003")
    services.decline_nomination(
        registration=_nominate(program, agency_b, administrator, "197801012005011003"),
        by=None, reason="Jenjang tidak sesuai")
    reviewed = _nominate(program, agency_a, Level.objects.get(code="jpt-pratama"),
                         "196102121985091001")
    Registration.objects.filter(pk=reviewed.pk).update(status=Status.ACCEPTED)
    rows = {row["level__name"]: row
            for row in registration_selectors.funnel_by_level(program=program)}
    assert [rows["JPT Pratama"][k] for k in ("nominated", "invited", "registered", "complete")] \
        == [1, 1, 1, 1]
    assert [rows["Pengawas"][k] for k in ("nominated", "invited", "registered", "complete")] \
        == [2, 2, 1, 0]
    assert [rows["Administrator"][k] for k in ("nominated", "invited", "registered")] \
        == [1, 0, 0]
    assert [rows["JPT Pratama"][k] for k in ("sent_back", "accepted")] == [0, 1]
    assert [rows["Pengawas"][k] for k in ("sent_back", "accepted")] == [0, 0]
    assert [row["level__name"] for row in rows.values()] == ["JPT Pratama", "Administrator",
                                                             "Pengawas"]
