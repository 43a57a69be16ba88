"""Issue 13: the public announcement at national scale is paged per batch, searchable and
cached, and a write shows at once (nothing lost, nothing stale)."""

import pytest
from django.urls import reverse

from kompeten.accounts.models import Role
from kompeten.classroom import publication
from kompeten.classroom.views.publication import PAGE_BATCHES
from kompeten.rumpun import topics
from kompeten.rumpun.models import Topic
from tests.factories import PLANS, announce_batches, participant, place
from tests.queries import count_queries

URL = reverse("classroom:announcement", args=[2019])


@pytest.fixture
def announced(world):
    """One official of agency A in each of batches 1..12, grouped and announced."""
    return announce_batches(world)


def _name(announced, number):
    return announced["people"][number].registration.full_name


def test_first_page_shows_ten_batches_and_the_rest_are_one_page_on(announced, client):
    assert PAGE_BATCHES == 10
    first = client.get(URL).content.decode()
    assert all(_name(announced, n) in first for n in range(1, 11))
    assert _name(announced, 11) not in first and 'id="announcement-pages"' in first
    second = client.get(URL + "?halaman=2").content.decode()
    assert _name(announced, 11) in second and _name(announced, 12) in second
    assert _name(announced, 1) not in second


def test_jump_to_a_batch_number_opens_its_page(announced, client):
    page = client.get(URL + "?angkatan=12").content.decode()
    assert _name(announced, 12) in page and 'id="angkatan-12"' in page
    missing = client.get(URL + "?angkatan=49").content.decode()
    assert "Angkatan 49 tidak ada atau belum diumumkan" in missing


def test_name_search_finds_a_participant_on_any_page_without_private_data(announced, client):
    registration = announced["people"][12].registration
    page = client.get(URL, {"cari": registration.plain_name}).content.decode()
    assert registration.full_name in page and "?angkatan=12" in page
    assert registration.nip not in page and registration.email not in page
    assert _name(announced, 11) not in page
    assert 'id="search-empty"' in client.get(URL, {"cari": "Tidak Ada Nama"}).content.decode()


def test_a_cached_page_costs_fewer_queries_and_changes_show_at_once(announced, client):
    cold = count_queries(client, URL)
    warm = count_queries(client, URL, cold=False)
    assert warm < cold
    # moving a participant to another group
    moved = announced["people"][3]
    karier = Topic.objects.get(code="karier")
    assert karier.name not in client.get(URL).content.decode()
    topics.move_topic(placement=moved, topic=karier, by=announced["users"][Role.ORGANISER])
    assert karier.name in client.get(URL).content.decode()
    # a newcomer placed and announced
    program = announced["program"]
    batch = program.batches.get(number=2)
    newcomer = place(participant(program=program, level=batch.level, agency=announced["agency_b"],
                                 plan=PLANS["kinerja"], full_name="Siti Pendatang Baru"),
                     batch, 9)
    topics.propose_groups(program=program, batch=batch)
    assert "Siti Pendatang Baru" not in client.get(URL).content.decode()
    publication.publish(program=program, by=announced["users"][Role.ORGANISER])
    assert newcomer.registration.full_name in client.get(URL).content.decode()
    # taken off the public page
    publication.unpublish(program=program, by=announced["users"][Role.ORGANISER])
    assert _name(announced, 1) not in client.get(URL).content.decode()


def test_organiser_preview_is_paged_too(announced, client):
    client.force_login(announced["users"][Role.ORGANISER])
    url = reverse("classroom:announcement_admin")
    first = client.get(url).content.decode()
    assert _name(announced, 10) in first and _name(announced, 11) not in first
    second = client.get(url, {"tahun": 2019, "halaman": 2}).content.decode()
    assert _name(announced, 11) in second and _name(announced, 1) not in second
