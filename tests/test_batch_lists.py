"""Issue 13: the staff pages that list every batch of a programme (class documents, classroom
sessions, e-learning progress) show one page of batches with a filter by number, level and
start date: every batch stays reachable, the counts stay right and the queries constant."""

import datetime as dt

import pytest
from django.urls import reverse

from kompeten.accounts.models import Role
from kompeten.classroom.session_models import ClassSession, SessionKind
from kompeten.programs.batch_list import PER_PAGE
from kompeten.programs.models import Batch, Level
from kompeten.programs.selectors import training_days
from tests.factories import PLANS, fill_batch
from tests.queries import count_queries

PAGES = ["classroom:class_documents", "kelas:overview", "elearning:batches"]
FAR = dt.date(2019, 12, 2)


def _add_batches(program, count: int, *, first: int) -> list[Batch]:
    level = Level.objects.get(code="pengawas")
    return Batch.objects.bulk_create([
        Batch(program=program, number=first + i, level=level, start_date=FAR,
              end_date=FAR + dt.timedelta(days=1)) for i in range(count)])


def _link(route: str, batch: Batch) -> str:
    """A link only the row of ``batch`` carries."""
    return reverse({"classroom:class_documents": "classroom:class_list_pdf",
                    "kelas:overview": "kelas:batch_sessions",
                    "elearning:batches": "elearning:batch_progress"}[route], args=[batch.pk])


@pytest.fixture
def many(world, client):
    """The programme's batches plus 2 * PER_PAGE more (same level, same late date)."""
    program = world["program"]
    program.is_current = True
    program.save(update_fields=["is_current"])
    extra = _add_batches(program, 2 * PER_PAGE, first=900)
    client.force_login(world["users"][Role.ORGANISER])
    return {**world, "extra": extra, "last": Batch.objects.get(program=program, number=999)}


@pytest.mark.parametrize("route", PAGES)
def test_a_page_shows_one_page_of_batches_and_the_filter_finds_any(route, many, client):
    url = reverse(route)
    last = many["last"]
    first_page = client.get(url).content.decode()
    assert 'id="batch-filter"' in first_page and 'id="batch-pages"' in first_page
    assert _link(route, last) not in first_page
    assert first_page.count('class="page-item') >= 3  # 3 pages at least (2 * PER_PAGE + …)
    found = client.get(url, {"angkatan": "999"}).content.decode()
    assert _link(route, last) in found
    assert _link(route, many["extra"][0]) not in found
    assert 'id="batch-pages"' not in found  # one batch, one page


@pytest.mark.parametrize("route", PAGES)
def test_level_and_date_filters_keep_their_pages(route, many, client):
    url = reverse(route)
    since = client.get(url, {"sejak": FAR.isoformat(), "jenjang": "pengawas"}).content.decode()
    extra = many["extra"]
    assert _link(route, extra[0]) in since  # the late batches come first
    earlier = Batch.objects.filter(program=many["program"], start_date__lt=FAR).first()
    assert _link(route, earlier) not in since
    assert f"{2 * PER_PAGE} angkatan" in since
    # the pager keeps the filter: page 2 is the rest of the late batches
    assert "sejak=2019-12-02" in since and "jenjang=pengawas" in since
    second = client.get(url, {"sejak": FAR.isoformat(), "jenjang": "pengawas",
                              "halaman": "2"}).content.decode()
    assert _link(route, extra[-1]) in second and _link(route, extra[0]) not in second
    other = client.get(url, {"jenjang": "administrator", "sejak": FAR.isoformat()}).content
    assert _link(route, extra[0]) not in other.decode()


def test_bad_filter_values_are_ignored(many, client):
    url = reverse("kelas:overview")
    for params in ({"angkatan": "x"}, {"sejak": "2019-13-45"}, {"halaman": "999"},
                   {"angkatan": "9" * 40}):
        assert client.get(url, params).status_code == 200


@pytest.mark.parametrize("route", PAGES)
def test_queries_do_not_grow_with_the_batches(route, many, client):
    url = reverse(route)
    before = count_queries(client, url)
    _add_batches(many["program"], PER_PAGE, first=2000)
    assert count_queries(client, url) == before
    assert count_queries(client, url, {"halaman": "3"}) == before


def test_counts_are_those_of_each_batch(many, client):
    program = many["program"]
    batch = program.batches.get(number=5)
    fill_batch(batch=batch, agency=many["agency_a"], plans=[PLANS["kinerja"]] * 3)
    ClassSession.objects.create(
        batch=batch, day=1, title="Sesi uji", kind=SessionKind.LESSON, jp=2,
        starts_at=dt.datetime(2019, 7, 1, 8, tzinfo=dt.UTC),
        ends_at=dt.datetime(2019, 7, 1, 10, tzinfo=dt.UTC))
    for route in PAGES:
        page = client.get(reverse(route), {"angkatan": "5"}).content.decode()
        row = page.split(_link(route, batch))[0].rsplit("<tr>", 1)[1]
        expected = "1" if route == "kelas:overview" else str(batch.placements.count())
        assert f'<td class="text-end">{expected}</td>' in row, route
    documents = client.get(reverse("classroom:class_documents"), {"angkatan": "5"}).content
    for day in training_days(batch):  # one attendance sheet per training day
        assert reverse("classroom:attendance_pdf", args=[batch.pk, day.isoformat()]) in (
            documents.decode())
    assert reverse("classroom:name_plates_pdf", args=[batch.pk]) in documents.decode()


def _summary_by_rows(program) -> dict[str, int]:
    """The announcement summary counted row by row in Python (the reference)."""
    from kompeten.batching.models import Placement
    from kompeten.rumpun.selectors import topic_of

    rows = list(Placement.objects.filter(registration__program=program)
                .select_related("membership__topic"))
    placed = [p for p in rows if p.batch_id is not None]
    return {"placed": len(placed), "announced": sum(p.is_announced for p in placed),
            "waiting": len(rows) - len(placed),
            "without_topic": sum(topic_of(p) is None for p in placed)}


def test_the_announcement_summary_counts_every_case(world, client):
    from kompeten.batching.models import Placement
    from kompeten.classroom import publication
    from kompeten.classroom.selectors import announcement_summary
    from kompeten.rumpun import topics
    from tests.factories import participant

    program = world["program"]
    organiser = world["users"][Role.ORGANISER]
    first, second = program.batches.get(number=1), program.batches.get(number=2)
    fill_batch(batch=first, agency=world["agency_a"], plans=[PLANS["kinerja"]] * 3)
    topics.propose_groups(program=program)
    publication.publish(program=program, by=organiser)
    # after publishing: two newcomers without a group yet, one on the waiting list
    fill_batch(batch=second, agency=world["agency_b"], plans=[PLANS["kinerja"]] * 2)
    waiting = participant(program=program, level=first.level, agency=world["agency_b"],
                          plan=PLANS["kinerja"])
    Placement.objects.create(registration=waiting, batch=None, seat=None)
    expected = _summary_by_rows(program)
    summary = announcement_summary(program=program)
    got = {key: getattr(summary, key) for key in expected}
    assert got == expected
    assert (summary.pending, summary.without_topic) == (2, 2)
    assert summary.waiting == 1
    client.force_login(organiser)
    page = client.get(reverse("classroom:announcement_admin")).content.decode()
    assert f'id="count-pending">{summary.pending}<' in page
    assert f'id="count-placed">{summary.placed}<' in page
    # grouped and announced: nothing pending, nobody without a group
    topics.propose_groups(program=program)
    publication.publish(program=program, by=organiser)
    summary = announcement_summary(program=program)
    assert (summary.pending, summary.without_topic) == (0, 0)
    assert {key: getattr(summary, key) for key in expected} == _summary_by_rows(program)


def test_announcement_admin_queries_stay_constant(world, client):
    client.force_login(world["users"][Role.ORGANISER])
    url = reverse("classroom:announcement_admin")
    program = world["program"]
    fill_batch(batch=program.batches.get(number=1), agency=world["agency_a"],
               plans=[PLANS["kinerja"]] * 2)
    before = count_queries(client, url)
    for number in range(2, 14):
        fill_batch(batch=program.batches.get(number=number), agency=world["agency_a"],
                   plans=[PLANS["kinerja"]] * 2)
    assert count_queries(client, url) == before
    assert count_queries(client, url, {"halaman": "2"}) == before
