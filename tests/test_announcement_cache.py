"""Issue 13: the public announcement is served as a whole page from the page cache
(kompeten/common/pagecache.py, content versions "public" and "announcement"), and every
write to what it shows renders it afresh at once; a write from outside the services shows
after PUBLIC_CACHE_SECONDS at the latest."""

from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kompeten.accounts.models import Role
from kompeten.batching import services as batching
from kompeten.batching.models import Placement
from kompeten.classroom import publication
from kompeten.classroom.views.publication import PUBLIC_CACHE_SECONDS
from kompeten.common import pagecache
from kompeten.programs import services as program_services
from kompeten.programs.masterdata import KINDS
from kompeten.registration import services as registration_services
from kompeten.registration.models import Registration
from kompeten.rumpun import topics
from kompeten.rumpun.models import Topic
from tests.factories import PLANS, announce_batches, fill_batch
from tests.queries import count_queries

URL = reverse("classroom:announcement", args=[2019])


@pytest.fixture
def announced(world):
    """One official of agency A in each of batches 1..12, grouped and announced."""
    return announce_batches(world)


def _page(url: str = URL, **params) -> str:
    response = Client().get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def _cached(url: str = URL) -> bool:
    """Whether anonymous GETs of ``url`` come from the cache (one query: the versions)."""
    Client().get(url)
    return count_queries(Client(), url, cold=False) == 1


def test_a_cache_hit_costs_one_query_whatever_the_size(announced):
    for url in (URL, URL + "?halaman=2", URL + "?angkatan=12", URL + "?cari=a"):
        assert count_queries(Client(), url, cold=False) > 1
        assert count_queries(Client(), url, cold=False) == 1
    # more participants on the page: rendered afresh once, then one query again
    program = announced["program"]
    fill_batch(batch=program.batches.get(number=1), agency=announced["agency_b"],
               plans=[PLANS["kinerja"]] * 5, first_seat=2)
    topics.propose_groups(program=program)
    publication.publish(program=program, by=announced["organiser"])
    assert count_queries(Client(), URL, cold=False) > 1
    assert count_queries(Client(), URL, cold=False) == 1


def test_publishing_and_unpublishing_show_at_once(world):
    cache.clear()
    program = world["program"]
    Placement.objects.all().delete()
    official = fill_batch(batch=program.batches.get(number=1), agency=world["agency_a"],
                          plans=[PLANS["kinerja"]])[0]
    topics.propose_groups(program=program)
    assert 'id="not-published"' in _page() and _cached()
    publication.publish(program=program, by=world["users"][Role.ORGANISER])
    page = _page()
    assert official.registration.full_name in page and 'id="not-published"' not in page
    assert _cached()
    publication.unpublish(program=program, by=world["users"][Role.ORGANISER])
    page = _page()
    assert 'id="not-published"' in page and official.registration.full_name not in page


def test_a_placement_move_shows_at_once(announced):
    moved = announced["people"][3]
    name = moved.registration.full_name
    assert name in _page() and _cached()
    batching.move_participant(placement=moved, to_batch=None, by=announced["organiser"])
    assert name not in _page()
    assert name not in _page(cari=moved.registration.plain_name)
    batching.move_participant(placement=moved, to_batch=moved.batch, by=announced["organiser"])
    assert name in _page()
    # an announced official on the waiting list seated again by a placement run
    batching.move_participant(placement=moved, to_batch=None, by=announced["organiser"])
    search = URL + "?" + urlencode({"cari": moved.registration.plain_name})
    assert name not in _page(search) and _cached(search)
    batching.place_participants(program=announced["program"], level=moved.batch.level)
    assert name in _page(search)


def test_a_group_change_shows_at_once(announced):
    moved = announced["people"][3]
    karier = Topic.objects.get(code="karier")
    assert karier.name not in _page() and _cached()
    topics.move_topic(placement=moved, topic=karier, by=announced["organiser"])
    assert karier.name in _page()
    # the proposal puts them back (moving back to the proposed group makes it automatic)
    topics.move_topic(placement=moved, topic=moved.membership.suggested_topic,
                      by=announced["organiser"])
    assert karier.name not in _page()


def test_a_name_correction_and_an_agency_rename_show_at_once(announced):
    registration = announced["people"][5].registration
    assert registration.full_name in _page() and _cached()
    assert _cached(URL + "?" + urlencode({"cari": registration.plain_name}))
    registration_services.correct_name(registration=registration,
                                       full_name="Dr. Nama Yang Dikoreksi, M.Si.",
                                       by=announced["organiser"], reason="Salah ketik")
    assert "Dr. Nama Yang Dikoreksi, M.Si." in _page()
    assert "Dr. Nama Yang Dikoreksi, M.Si." in _page(cari="Nama Yang Dikoreksi")
    agency = announced["agency_a"]
    assert agency.name in _page() and _cached()
    form = KINDS["instansi"].form_class()(
        {"code": agency.code, "name": "BKD Provinsi Aceh (baru)", "kind": agency.kind,
         "province": agency.province, "email": agency.email}, instance=agency)
    assert form.is_valid(), form.errors
    program_services.save_master_record(form=form)
    assert "BKD Provinsi Aceh (baru)" in _page()


def test_a_withdrawal_shows_at_once(announced):
    registration = announced["people"][7].registration
    assert registration.full_name in _page() and _cached()
    registration_services.withdraw(registration=registration, by=announced["organiser"],
                                   reason="Mengundurkan diri")
    assert registration.full_name not in _page()


def test_a_write_outside_the_services_shows_after_the_max_age(announced, monkeypatch):
    registration = announced["people"][2].registration
    assert registration.full_name in _page() and _cached()
    Registration.objects.filter(pk=registration.pk).update(full_name="Nama Dari Luar")
    clock = pagecache.time.time()
    monkeypatch.setattr(pagecache.time, "time", lambda: clock + PUBLIC_CACHE_SECONDS + 1)
    assert "Nama Dari Luar" in _page()


def test_a_logged_in_user_never_gets_a_cached_page(announced, client):
    anonymous = _page()
    assert _cached() and "Keluar" not in anonymous
    client.force_login(announced["organiser"])
    assert count_queries(client, URL, cold=False) > 1
    body = client.get(URL).content.decode()
    assert "Keluar" in body and announced["people"][1].registration.full_name in body
    # and the organiser's page is never what a visitor gets
    assert "Keluar" not in _page()


@pytest.mark.django_db(transaction=True)
def test_one_bump_per_bulk_operation(announced):
    before = pagecache.versions(("public", pagecache.ANNOUNCEMENT))
    shared = _shared(("public", pagecache.ANNOUNCEMENT))
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        topics.propose_groups(program=announced["program"])
        publication.unpublish(program=announced["program"], by=announced["organiser"])
        # this process sees the change at once; the shared tokens wait for the commit
        assert pagecache.versions(("public", pagecache.ANNOUNCEMENT)) != before
        assert _shared(("public", pagecache.ANNOUNCEMENT)) == shared
    after = _shared(("public", pagecache.ANNOUNCEMENT))
    assert after[0] != shared[0] and after[1] != shared[1]
    writes = [q["sql"] for q in captured if "common_contentversion" in q["sql"]
              and not q["sql"].lstrip().upper().startswith("SELECT")
              and "'data'" not in q["sql"]]  # the data version's row (SQLite)
    assert len(writes) == 2  # one per key, after the commit


def _shared(keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.split("/")[0] for v in pagecache.versions(keys))
