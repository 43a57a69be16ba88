"""Announcement of the class lists: publish rules, e-mails and the public page."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from kompeten.accounts.models import Role
from kompeten.batching.models import Placement
from kompeten.classroom import publication
from kompeten.classroom import selectors as class_selectors
from kompeten.classroom.models import Publication
from kompeten.rumpun import topics
from kompeten.rumpun.models import Topic
from tests.conftest import make_user
from tests.factories import PLANS, fill_batch, ministry, participant, place
from tests.queries import count_queries


@pytest.fixture
def placed(world):
    """Two batches of agency_a/agency_b officials with their groups proposed."""
    program = world["program"]
    first, second = program.batches.get(number=1), program.batches.get(number=2)
    a = fill_batch(batch=first, agency=world["agency_a"],
                   plans=[PLANS["kinerja"]] * 4 + [PLANS["disiplin"]] * 4)
    b = fill_batch(batch=second, agency=world["agency_b"], plans=[PLANS["karier"]] * 5)
    topics.propose_groups(program=program)
    # the world fixture may hold placements of its own (e.g. for the rooms pages)
    total = Placement.objects.filter(batch__isnull=False).count()
    return {**world, "first": first, "second": second, "a": a, "b": b, "total": total}


def _publish(placed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return publication.publish(program=placed["program"],
                                   by=placed["users"][Role.ORGANISER])


def test_publish_announces_everybody_placed_and_sends_emails(
        placed, django_capture_on_commit_callbacks):
    result = _publish(placed, django_capture_on_commit_callbacks)
    assert result.first and result.announced == placed["total"] >= 13
    assert Publication.objects.filter(program=placed["program"]).exists()
    assert not Placement.objects.filter(batch__isnull=False, is_announced=False).exists()
    # each participant + the operator of agency_a + agency_b's contact address (no operator)
    assert result.emails == placed["total"] + 2 == len(mail.outbox)
    to_participant = next(m for m in mail.outbox
                          if m.to == [placed["a"][0].registration.email])
    assert "Angkatan 1" in to_participant.body
    assert placed["first"].venue in to_participant.body
    assert "Kinerja" in to_participant.body
    assert "/penempatan/pengumuman/2019/" in to_participant.body
    operator_mail = next(m for m in mail.outbox if m.to == [placed["users"][Role.OPERATOR].email])
    assert all(p.registration.full_name in operator_mail.body for p in placed["a"])
    assert not any(p.registration.full_name in operator_mail.body for p in placed["b"])
    agency_b_mail = next(m for m in mail.outbox if m.to == [placed["agency_b"].email])
    assert all(p.registration.full_name in agency_b_mail.body for p in placed["b"])


def test_publish_again_announces_only_newcomers(placed, django_capture_on_commit_callbacks):
    _publish(placed, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with pytest.raises(ValidationError, match="sudah diumumkan"):
        publication.publish(program=placed["program"], by=placed["users"][Role.ORGANISER])
    newcomer = place(participant(program=placed["program"], level=placed["first"].level,
                                 agency=placed["agency_b"], plan=PLANS["kinerja"]),
                     placed["first"], 9)
    topics.propose_groups(program=placed["program"], batch=placed["first"])
    result = _publish(placed, django_capture_on_commit_callbacks)
    assert not result.first and result.announced == 1
    assert {tuple(m.to) for m in mail.outbox} == {(newcomer.registration.email,),
                                                  (placed["agency_b"].email,)}


def test_publish_needs_placements_and_groups(world, django_capture_on_commit_callbacks):
    organiser = world["users"][Role.ORGANISER]
    Placement.objects.all().delete()
    with pytest.raises(ValidationError, match="Belum ada peserta"):
        publication.publish(program=world["program"], by=organiser)
    fill_batch(batch=world["program"].batches.get(number=1), agency=world["agency_a"],
               plans=[PLANS["kinerja"]] * 4)
    with pytest.raises(ValidationError, match="belum mempunyai rumpun"):
        publication.publish(program=world["program"], by=organiser)
    assert not Publication.objects.exists()
    assert not Placement.objects.filter(is_announced=True).exists()


def test_unpublish_hides_the_page_but_keeps_announced(placed, client,
                                                      django_capture_on_commit_callbacks):
    _publish(placed, django_capture_on_commit_callbacks)
    publication.unpublish(program=placed["program"], by=placed["users"][Role.ORGANISER])
    assert not class_selectors.is_published(placed["program"])
    assert Placement.objects.filter(is_announced=True).count() == placed["total"]
    page = client.get(reverse("classroom:announcement", args=[2019])).content.decode()
    assert placed["a"][0].registration.full_name not in page
    with pytest.raises(ValidationError):
        publication.unpublish(program=placed["program"], by=placed["users"][Role.ORGANISER])


def test_public_page_before_publication_says_not_yet(placed, client):
    response = client.get(reverse("classroom:announcement", args=[2019]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "belum diumumkan" in page
    assert placed["a"][0].registration.full_name not in page
    assert "announcement-link" not in client.get(reverse("home")).content.decode()


def test_unknown_year_is_404(world, client):
    assert client.get(reverse("classroom:announcement", args=[1999])).status_code == 404


def test_public_page_shows_names_agencies_groups_and_never_private_data(
        placed, client, django_capture_on_commit_callbacks):
    _publish(placed, django_capture_on_commit_callbacks)
    page = client.get(reverse("classroom:announcement", args=[2019])).content.decode()
    for placement in placed["a"] + placed["b"]:
        registration = placement.registration
        assert registration.full_name in page
        assert registration.nip not in page
        assert registration.email not in page
        assert registration.phone not in page
    assert placed["agency_a"].name in page and placed["agency_b"].name in page
    assert "Kinerja" in page and "Karier dan Jabatan" in page
    assert "Angkatan 1" in page and "Angkatan 2" in page
    home = client.get(reverse("home")).content.decode()
    assert reverse("classroom:announcement", args=[2019]) in home


def test_newcomers_are_not_public_before_they_are_announced(
        placed, client, django_capture_on_commit_callbacks):
    _publish(placed, django_capture_on_commit_callbacks)
    newcomer = place(participant(program=placed["program"], level=placed["first"].level,
                                 agency=placed["agency_a"], plan=PLANS["kinerja"],
                                 full_name="Siti Pendatang"), placed["first"], 9)
    page = client.get(reverse("classroom:announcement", args=[2019])).content.decode()
    assert newcomer.registration.full_name not in page


def test_admin_page_and_publish_button(placed, client, django_capture_on_commit_callbacks):
    client.force_login(placed["users"][Role.ORGANISER])
    page = client.get(reverse("classroom:announcement_admin")).content.decode()
    assert "publish-button" in page and placed["a"][0].registration.full_name in page
    # Issue 8.12: the button asks first, saying what will happen and to how many.
    confirm = client.post(reverse("classroom:announcement_publish"), {"tahun": 2019})
    assert f"{placed['total']} peserta dari" in confirm.content.decode()
    assert "publish-confirm" in confirm.content.decode()
    assert not class_selectors.is_published(placed["program"]) and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("classroom:announcement_publish"),
                               {"tahun": 2019, "confirm": "1"}, follow=True)
    assert f"Daftar kelas diumumkan: {placed['total']} peserta" in response.content.decode()
    assert class_selectors.is_published(placed["program"])
    response = client.post(reverse("classroom:announcement_publish"),
                           {"tahun": 2019, "confirm": "1"}, follow=True)
    assert "sudah diumumkan" in response.content.decode()
    client.post(reverse("classroom:announcement_unpublish"), {"tahun": 2019})
    assert not class_selectors.is_published(placed["program"])


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.PARTICIPANT, Role.FACILITATOR])
def test_only_organisers_publish(placed, client, role):
    client.force_login(placed["users"][role])
    response = client.post(reverse("classroom:announcement_publish"),
                           {"tahun": 2019, "confirm": "1"})
    assert response.status_code == 403
    assert not Publication.objects.exists()


def test_operator_of_another_agency_cannot_open_placement_pages(placed, client):
    operator_b = make_user(Role.OPERATOR, username="operator-b", agency=placed["agency_b"])
    client.force_login(operator_b)
    batch = placed["first"]  # agency_a's officials
    for url in (reverse("rumpun:topic_groups"), reverse("classroom:announcement_admin"),
                reverse("classroom:class_list_pdf", args=[batch.pk]),
                reverse("classroom:attendance_pdf", args=[batch.pk, batch.start_date]),
                reverse("classroom:name_plates_pdf", args=[batch.pk])):
        response = client.get(url)
        assert response.status_code in (403, 404)
        assert placed["a"][0].registration.full_name.encode() not in response.content
    response = client.post(reverse("rumpun:topic_move", args=[placed["a"][0].pk]),
                           {"topic": Topic.objects.get(code="karier").pk})
    assert response.status_code in (403, 404)


def _grow(placed, count, start_seat):
    program = placed["program"]
    fill_batch(batch=placed["first"], agency=ministry("G1"), plans=[PLANS["karier"]] * 6,
               first_seat=20)
    for number in range(3, 3 + count):
        batch = program.batches.get(number=number)
        fill_batch(batch=batch, agency=ministry(f"G{number}"),
                   plans=[PLANS["kinerja"], PLANS["karier"]] * 3, first_seat=start_seat)
    topics.propose_groups(program=program)
    Placement.objects.update(is_announced=True)


@pytest.mark.parametrize(("role", "name"), [
    (None, "classroom:announcement"), (Role.ORGANISER, "classroom:announcement_admin"),
    (Role.ORGANISER, "rumpun:topic_groups"), (Role.FACILITATOR, "classroom:class_documents"),
])
def test_pages_keep_a_constant_number_of_queries(placed, client, role, name,
                                                 django_assert_num_queries,
                                                 django_capture_on_commit_callbacks):
    _publish(placed, django_capture_on_commit_callbacks)
    if role is not None:
        client.force_login(placed["users"][role])
    url = reverse(name, args=[2019]) if name == "classroom:announcement" else reverse(name)
    small = count_queries(client, url)
    _grow(placed, 6, 1)
    with django_assert_num_queries(small):
        client.get(url)


def test_participant_page_links_the_announcement_once_published(
        placed, client, django_capture_on_commit_callbacks):
    client.force_login(placed["users"][Role.PARTICIPANT])
    url = reverse("participants:my_registration")
    assert "link-announcement" not in client.get(url).content.decode()
    _publish(placed, django_capture_on_commit_callbacks)
    page = client.get(url).content.decode()
    assert "link-announcement" in page
    assert reverse("classroom:announcement", args=[2019]) in page
