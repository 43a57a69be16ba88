"""Issue 7.1: one lifecycle. Every status change goes through the transition table, is
logged, and what a participant may edit follows from the status."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from kompeten.accounts.models import Role
from kompeten.actionplans.plans import PlanInput, save_action_plan
from kompeten.batching.models import Placement
from kompeten.dormitory.models import RoomAssignment
from kompeten.participants.forms import ProfileForm
from kompeten.participants.services import update_profile
from kompeten.registration import lifecycle
from kompeten.registration import services as registration_services
from kompeten.registration.models import Registration, Status, StatusLog
from kompeten.review import services as review_services
from kompeten.review import submission
from kompeten.rumpun.models import Membership
from kompeten.rumpun.topics import ensure_default_topics
from tests.factories import complete

ROOT = Path(__file__).resolve().parent.parent / "kompeten"


def test_no_status_is_written_outside_the_lifecycle():
    """`registration.status = …` or an update(status=…) of registrations happens only in
    kompeten/registration/lifecycle.py."""
    assignment = re.compile(r"\b(registration|locked|reg|r)\.status\s*=(?!=)")
    update = re.compile(r"Registration\.objects[^\n]*\.update\([^)]*\bstatus=")
    offenders = []
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts or path.name == "lifecycle.py":
            continue
        text = path.read_text()
        if assignment.search(text) or update.search(text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_the_checker_above_sees_a_direct_write():
    assert re.search(r"\b(registration|locked|reg|r)\.status\s*=(?!=)",
                     "registration.status = Status.ACCEPTED")


@pytest.mark.django_db
def test_the_database_refuses_an_unknown_status(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.filter(pk=world["registration"].pk).update(status="placed")


@pytest.mark.django_db
def test_every_step_is_logged_with_who_when_from_to_and_why(world):
    organiser = world["users"][Role.ORGANISER]
    participant = world["users"][Role.PARTICIPANT]
    registration = complete(world["registration"])
    submission.submit_registration(registration=registration, by=participant)
    review_services.decide(registration=registration, reviewer=organiser, decision="reject",
                           comments={}, reason="Bukan pejabat pengelola kepegawaian")
    log = list(StatusLog.objects.filter(registration=registration).order_by("at", "pk"))
    assert [(e.transition, e.from_status, e.to_status, e.by) for e in log] == [
        ("submit", Status.REGISTERED, Status.SUBMITTED, participant),
        ("reject", Status.SUBMITTED, Status.REJECTED, organiser)]
    assert "Bukan pejabat pengelola kepegawaian" in log[1].reason
    assert log[0].at <= log[1].at


@pytest.mark.django_db
def test_a_step_checks_source_role_and_reason(world):
    organiser = world["users"][Role.ORGANISER]
    operator = world["users"][Role.OPERATOR]
    invited = world["invited"]
    with pytest.raises(ValidationError, match="tidak dapat dilakukan pada status"):
        lifecycle.transition(registration=invited, name="accept", by=organiser)
    with pytest.raises(ValidationError, match="Peran Anda"):
        lifecycle.transition(registration=invited, name="withdraw", by=operator,
                             reason="x")
    with pytest.raises(ValidationError, match="wajib disertai alasan"):
        lifecycle.transition(registration=invited, name="withdraw", by=organiser)
    invited.refresh_from_db()
    assert invited.status == Status.INVITED
    assert not StatusLog.objects.filter(registration=invited, transition="withdraw").exists()
    assert lifecycle.can(invited, "withdraw", organiser)
    assert not lifecycle.can(invited, "withdraw", operator)
    assert not lifecycle.can(invited, "submit", world["users"][Role.PARTICIPANT])


@pytest.mark.django_db
def test_every_status_is_reachable_only_through_the_table():
    targets = {t.target for t in lifecycle.TRANSITIONS.values()}
    assert targets | {Status.NOMINATED} == set(Status.values)


# -- what a participant may edit --------------------------------------------------------

def _profile_form(registration, **changes):
    data = {"full_name": registration.full_name, "position": registration.position,
            "work_unit": "BKD", "phone": "0813-1071-3132", "email": registration.email,
            "mentor_name": "Dr. Mentor", "mentor_nip": "", "mentor_position": "Kepala",
            "mentor_email": "mentor@instansi.example", **changes}
    form = ProfileForm(data=data, instance=registration)
    assert form.is_valid(), form.errors
    return form


PLAN = PlanInput(title="Rencana", background="Latar", problem="Masalah", goals="Tujuan",
                 benefits="Manfaat")


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.ACCEPTED, Status.WITHDRAWN])
def test_after_submission_nothing_of_the_file_changes(world, status):
    registration = world["registration"]
    Registration.objects.filter(pk=registration.pk).update(status=status)
    registration.refresh_from_db()
    with pytest.raises(ValidationError, match="tidak dapat diubah lagi"):
        update_profile(registration=registration,
                       form=_profile_form(registration, full_name="Nama Lain"))
    with pytest.raises(ValidationError, match="tidak dapat diubah lagi"):
        save_action_plan(registration=registration, plan=PLAN, milestones=[])
    registration.refresh_from_db()
    assert registration.full_name == "Drs. Agus Pratama, M.Si."


@pytest.mark.django_db
def test_the_profile_page_is_read_only_after_submission(client, world):
    registration = world["registration"]
    Registration.objects.filter(pk=registration.pk).update(status=Status.SUBMITTED)
    client.force_login(world["users"][Role.PARTICIPANT])
    page = client.get(reverse("participants:edit_profile")).content.decode()
    assert 'id="profile-locked"' in page and "<form method=\"post\" novalidate" not in page
    client.post(reverse("participants:edit_profile"),
                {"full_name": "Nama Lain", "position": "x", "email": "baru@instansi.example"})
    registration.refresh_from_db()
    assert registration.full_name == "Drs. Agus Pratama, M.Si."


@pytest.mark.django_db
def test_revision_opens_the_file_again(world):
    registration = world["registration"]
    Registration.objects.filter(pk=registration.pk).update(status=Status.REVISION)
    registration.refresh_from_db()
    update_profile(registration=registration,
                   form=_profile_form(registration, full_name="Drs. Agus Pratama, M.Si., M.M."))
    registration.refresh_from_db()
    assert registration.full_name.endswith("M.M.")


# -- after acceptance: the organiser corrects a name and withdraws --------------------------

@pytest.mark.django_db
def test_the_organiser_corrects_a_name_after_acceptance_and_it_is_logged(client, world):
    organiser = world["users"][Role.ORGANISER]
    accepted = world["room_placement"].registration
    client.force_login(organiser)
    url = reverse("nominations:correct_name", args=[accepted.pk])
    response = client.post(url, {"full_name": "Budi Santoso, S.Sos., M.A.P.", "reason": ""})
    assert response.status_code == 200  # the reason is required
    response = client.post(url, {"full_name": "Budi Santoso, S.Sos., M.A.P.",
                                 "reason": "Sesuai ijazah S2"})
    assert response.status_code == 302
    accepted.refresh_from_db()
    assert (accepted.full_name, accepted.plain_name, accepted.status) == (
        "Budi Santoso, S.Sos., M.A.P.", "Budi Santoso", Status.ACCEPTED)
    entry = StatusLog.objects.get(registration=accepted, transition="correct_name")
    assert entry.by == organiser
    assert "Budi Santoso, S.Sos." in entry.reason and "M.A.P." in entry.reason
    assert "Sesuai ijazah S2" in entry.reason
    page = client.get(reverse("nominations:nomination_detail", args=[accepted.pk]))
    assert "Sesuai ijazah S2" in page.content.decode()  # the status history
    # before acceptance the organiser has no such step (the participant edits the profile)
    with pytest.raises(ValidationError):
        registration_services.correct_name(registration=world["registration"],
                                           full_name="X", by=organiser, reason="y")


@pytest.mark.django_db
def test_withdrawal_frees_seat_group_and_beds_in_one_transaction(world):
    organiser = world["users"][Role.ORGANISER]
    placement = world["room_placement"]
    registration = placement.registration
    topic = ensure_default_topics()[0]
    Membership.objects.create(placement=placement, topic=topic, suggested_topic=topic)
    batch = placement.batch
    RoomAssignment.objects.create(room=world["room"], night=batch.start_date, bed=1,
                                  placement=placement, gender="L")
    with pytest.raises(ValidationError, match="alasan"):
        registration_services.withdraw(registration=registration, by=organiser, reason=" ")
    assert Placement.objects.filter(pk=placement.pk).exists()

    registration_services.withdraw(registration=registration, by=organiser,
                                   reason="Mutasi ke instansi lain")
    registration.refresh_from_db()
    assert registration.status == Status.WITHDRAWN
    assert not Placement.objects.filter(registration=registration).exists()
    assert not Membership.objects.filter(placement_id=placement.pk).exists()
    assert not RoomAssignment.objects.filter(placement_id=placement.pk).exists()
    entry = StatusLog.objects.get(registration=registration, transition="withdraw")
    assert (entry.from_status, entry.to_status, entry.by, entry.reason) == (
        Status.ACCEPTED, Status.WITHDRAWN, organiser, "Mutasi ke instansi lain")


@pytest.mark.django_db
def test_a_failing_release_rolls_the_withdrawal_back(world):
    organiser = world["users"][Role.ORGANISER]
    registration = world["room_placement"].registration

    def broken(*, registration, by):
        raise RuntimeError("release failed")

    lifecycle.on_enter(Status.WITHDRAWN, broken, order=99)
    try:
        with pytest.raises(RuntimeError):
            registration_services.withdraw(registration=registration, by=organiser,
                                           reason="Uji")
    finally:
        lifecycle._on_enter[Status.WITHDRAWN] = [
            item for item in lifecycle._on_enter[Status.WITHDRAWN] if item[1] is not broken]
    registration.refresh_from_db()
    assert registration.status == Status.ACCEPTED
    assert Placement.objects.filter(registration=registration).exists()
    assert not StatusLog.objects.filter(registration=registration).exists()


@pytest.mark.django_db
def test_the_detail_page_offers_only_the_allowed_steps(client, world):
    organiser = world["users"][Role.ORGANISER]
    client.force_login(organiser)
    invited = client.get(reverse("nominations:nomination_detail",
                                 args=[world["invited"].pk])).content.decode()
    assert 'id="invite-button"' in invited and 'id="withdraw-link"' in invited
    assert 'id="decline-link"' not in invited and 'id="correct-name-link"' not in invited
    assert 'id="status-history"' in invited and "Diusulkan → Diundang" in invited
    accepted = client.get(reverse("nominations:nomination_detail",
                                  args=[world["room_placement"].registration.pk])).content
    assert b'id="correct-name-link"' in accepted and b'id="invite-button"' not in accepted
    # "placed" is derived from the placement record, not a status
    assert b'id="placed"' in accepted and b"Ditempatkan di Angkatan 4" in accepted
    client.force_login(world["users"][Role.OPERATOR])
    as_operator = client.get(reverse("nominations:nomination_detail",
                                     args=[world["invited"].pk])).content.decode()
    assert 'id="invite-button"' not in as_operator and 'id="withdraw-link"' not in as_operator


@pytest.mark.django_db
def test_demo_population_is_logged(program):
    from kompeten.home.demo_placement import load_demo_population
    from tests.factories import agency

    demo = agency()
    demo.is_demo = True
    demo.save()
    load_demo_population(program=program)
    accepted = Registration.objects.filter(program=program, status=Status.ACCEPTED)
    assert accepted.exists()
    assert StatusLog.objects.filter(registration__in=accepted, transition="create").count() \
        == accepted.count()
