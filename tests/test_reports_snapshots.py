"""A report whose filters cover more registrations than a request can aggregate is computed
by a background job and shown from a stored snapshot with its time: the same figures as the
live page, one job however many visitors, recomputed when old or when asked, per user scope
and language; its export always goes through the export job."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kompeten.accounts.models import Role
from kompeten.reports import services
from kompeten.reports.models import ReportExport, ReportSnapshot, SnapshotStatus
from kompeten.reports.selectors import snapshots
from tests.conftest import make_user
from tests.queries import count_queries
from tests.reports_samples import assessed_world, monev_world, report_world

pytestmark = pytest.mark.django_db

TABLES = ("funnel-table", "units-table", "batches-table", "rates-table", "reaction-table",
          "province-table", "agency-table")
REPORTS = ["funnel", "units", "monev", "reaction", "competency"]


@pytest.fixture
def w():
    world = report_world()
    world["organiser"] = make_user(Role.ORGANISER, username="org-laporan")
    world.update(assessed_world(world, world["organiser"]))
    world.update(monev_world(world))
    return world


def _large(monkeypatch, limit: int = 3) -> None:
    """Filters over more than ``limit`` registrations count as large (the world has ~16;
    agency B alone has 2)."""
    monkeypatch.setattr(snapshots, "LIVE_MAX_REGISTRATIONS", limit)


@pytest.mark.parametrize("name", REPORTS)
def test_a_large_report_shows_the_live_figures_from_its_snapshot(
        client, w, name, monkeypatch, django_capture_on_commit_callbacks):
    client.force_login(w["organiser"])
    url = reverse(f"reports:{name}")
    params = {"tahun": w["program"].code}
    live = client.get(url, params)
    assert 'id="report-snapshot"' not in live.content.decode()  # small: in the request
    assert not ReportSnapshot.objects.exists()
    _large(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True) as jobs:
        waiting = client.get(url, params)  # the job runs after this request
    assert len(jobs) == 1 and "sedang dihitung" in waiting.content.decode()
    first = client.get(url, params)
    snapshot = ReportSnapshot.objects.get()
    assert snapshot.status == SnapshotStatus.READY and snapshot.computed_at is not None
    page = first.content.decode()
    assert "Data per" in page and 'id="report-refresh"' in page
    for table in TABLES:
        if f'id="{table}"' in live.content.decode():
            assert _table(live, table) == _table(first, table)
    # the next visitors read the stored figures: no job, a constant handful of queries
    with django_capture_on_commit_callbacks(execute=True) as jobs:
        again = client.get(url, params)
    assert jobs == [] and ReportSnapshot.objects.count() == 1
    assert _tables(again) == _tables(first)


def _computed(client, capture, url, params=None, **headers) -> str:
    """The page once its job has run (the first visit queues it; the job runs after)."""
    with capture(execute=True):
        client.get(url, params or {}, **headers)
    return client.get(url, params or {}, **headers).content.decode()


def _table(response, table_id: str) -> str:
    html = response.content.decode()
    start = html.index(f'id="{table_id}"')
    return html[start:html.index("</table>", start)]


def _tables(response) -> list[str]:
    html = response.content.decode()
    return [_table(response, t) for t in TABLES if f'id="{t}"' in html]


def test_while_computing_the_page_says_so_and_polls_until_ready(client, w, monkeypatch):
    _large(monkeypatch)
    client.force_login(w["organiser"])
    url = reverse("reports:units")
    page = client.get(url, {"tahun": w["program"].code})  # the job waits for its commit
    html = page.content.decode()
    assert "sedang dihitung di latar belakang" in html
    assert 'role="progressbar"' in html and 'data-hx-trigger="every 2s"' in html
    assert 'id="units-table"' not in html  # no figures yet, none invented
    snapshot = ReportSnapshot.objects.get()
    assert snapshot.status == SnapshotStatus.QUEUED
    poll = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "report-snapshot"}
    assert "HX-Refresh" not in client.get(url, {"tahun": w["program"].code}, **poll)
    services.compute_snapshot(snapshot_id=snapshot.pk)
    done = client.get(url, {"tahun": w["program"].code}, **poll)
    assert done["HX-Refresh"] == "true"  # ready: htmx loads the whole page
    full = client.get(url, {"tahun": w["program"].code}).content.decode()
    assert 'id="units-table"' in full and "every 2s" not in full


def test_progress_moves_with_the_time_the_last_computation_took(w):
    now = timezone.now()
    snapshot = ReportSnapshot(kind="units", key="k", language="id", requested_by=w["organiser"],
                              requested_at=now, status=SnapshotStatus.QUEUED)
    assert snapshots.progress(snapshot, now=now) == snapshots.Progress(True, 0)
    snapshot.status, snapshot.started_at, snapshot.duration_ms = "running", now, 4000
    assert snapshots.progress(snapshot, now=now + dt.timedelta(seconds=1)).percent == 25
    assert snapshots.progress(snapshot, now=now + dt.timedelta(seconds=3)).percent == 75
    assert snapshots.progress(snapshot, now=now + dt.timedelta(seconds=60)).percent == 95


def test_many_visitors_start_one_job_and_old_figures_are_recomputed(
        client, w, monkeypatch, django_capture_on_commit_callbacks):
    _large(monkeypatch)
    client.force_login(w["organiser"])
    url = reverse("reports:funnel")
    params = {"tahun": w["program"].code}
    with django_capture_on_commit_callbacks(execute=False) as jobs:
        for _ in range(3):
            client.get(url, params)
    assert len(jobs) == 1  # queued once: the others see the pending row
    jobs[0]()
    snapshot = ReportSnapshot.objects.get()
    assert snapshot.status == SnapshotStatus.READY
    old = timezone.now() - snapshots.REFRESH_AFTER - dt.timedelta(minutes=1)
    ReportSnapshot.objects.filter(pk=snapshot.pk).update(computed_at=old)
    with django_capture_on_commit_callbacks(execute=False) as jobs:
        stale = client.get(url, params).content.decode()
        client.get(url, params)
    assert len(jobs) == 1
    assert "Angka terbaru sedang dihitung" in stale and 'id="funnel-table"' in stale
    jobs[0]()
    snapshot.refresh_from_db()
    assert snapshot.status == SnapshotStatus.READY and snapshot.computed_at > old


def test_a_job_that_lost_its_worker_is_asked_again(w):
    long_ago = timezone.now() - snapshots.PENDING_STALE - dt.timedelta(minutes=1)
    snapshot = ReportSnapshot.objects.create(
        kind="funnel", key="x", language="id", requested_by=w["organiser"],
        requested_at=long_ago, started_at=long_ago, status=SnapshotStatus.RUNNING)
    assert snapshots.needs_request(snapshot)
    fresh = ReportSnapshot(kind="funnel", key="y", language="id", requested_at=timezone.now(),
                           status=SnapshotStatus.QUEUED)
    assert not snapshots.needs_request(fresh)


def test_refresh_recomputes_now_and_only_for_whoever_may_see_the_report(
        client, w, monkeypatch, django_capture_on_commit_callbacks):
    _large(monkeypatch)
    client.force_login(w["organiser"])
    params = f"?tahun={w['program'].code}"
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("reports:monev") + params)
    first = ReportSnapshot.objects.get().computed_at
    assert client.get(reverse("reports:refresh", args=["monev"]) + params).status_code == 405
    with django_capture_on_commit_callbacks(execute=True) as jobs:
        response = client.post(reverse("reports:refresh", args=["monev"]) + params)
    assert response.status_code == 302 and response["Location"].endswith(params)
    assert len(jobs) == 1 and ReportSnapshot.objects.get().computed_at > first
    assert client.post(reverse("reports:refresh", args=["nothing"])).status_code == 404
    client.force_login(make_user(Role.OPERATOR, username="op-r", agency=w["agency_a"]))
    assert client.post(reverse("reports:refresh", args=["reaction"])).status_code == 403


def test_an_operators_snapshot_holds_only_their_agency(
        client, w, monkeypatch, django_capture_on_commit_callbacks):
    _large(monkeypatch, limit=1)
    params = {"tahun": w["program"].code, "per": "agency"}
    client.force_login(w["organiser"])
    everyone = _computed(client, django_capture_on_commit_callbacks, reverse("reports:funnel"),
                         params)
    assert w["agency_b"].name in everyone
    client.force_login(make_user(Role.OPERATOR, username="op-a", agency=w["agency_a"]))
    own = _computed(client, django_capture_on_commit_callbacks, reverse("reports:funnel"),
                    params)
    assert ReportSnapshot.objects.count() == 2  # not the organiser's figures
    table = own[own.index('id="funnel-table"'):]
    assert w["agency_a"].name in table and w["agency_b"].name not in table


def test_each_language_has_its_own_snapshot(
        client, w, monkeypatch, django_capture_on_commit_callbacks):
    _large(monkeypatch)
    client.force_login(w["organiser"])
    url = reverse("reports:funnel")
    params = {"tahun": w["program"].code}
    indonesian = _computed(client, django_capture_on_commit_callbacks, url, params)
    english = _computed(client, django_capture_on_commit_callbacks, url, params,
                        HTTP_ACCEPT_LANGUAGE="en")
    assert ReportSnapshot.objects.count() == 2
    assert "Diusulkan" in indonesian
    assert "Nominated" in english and "Diusulkan" not in english[english.index(
        'id="funnel-table"'):]


def test_small_filters_stay_live(client, w, monkeypatch):
    _large(monkeypatch)  # agency B has 2 registrations: under the limit
    client.force_login(w["organiser"])
    page = client.get(reverse("reports:funnel"),
                      {"tahun": w["program"].code, "agency": w["agency_b"].pk})
    assert 'id="report-snapshot"' not in page.content.decode()
    assert not ReportSnapshot.objects.exists()


@pytest.mark.parametrize("name", REPORTS)
def test_a_large_export_always_asks_for_the_job_without_counting(
        client, w, name, monkeypatch, django_capture_on_commit_callbacks):
    client.force_login(w["organiser"])
    url = reverse(f"reports:{name}_export")
    params = {"tahun": w["program"].code}
    direct = load_workbook(io.BytesIO(b"".join(client.get(url, params).streaming_content)))
    rows = list(direct.active.iter_rows(values_only=True))
    _large(monkeypatch)
    page = client.get(url, params)
    assert page["Content-Type"].startswith("text/html")
    assert "jumlah barisnya dihitung saat berkas dibuat" in page.content.decode()
    assert not ReportExport.objects.exists() and not ReportSnapshot.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page.context["start_url"])
    export = ReportExport.objects.get()
    with export.file.open("rb") as handle:
        assert list(load_workbook(handle).active.iter_rows(values_only=True)) == rows


def test_a_stored_report_page_reads_a_constant_number_of_queries(
        client, w, monkeypatch, django_capture_on_commit_callbacks):
    _large(monkeypatch)
    client.force_login(w["organiser"])
    url = reverse("reports:reaction")
    params = {"tahun": w["program"].code}
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url, params)
    few = count_queries(client, url, params)
    snapshot = ReportSnapshot.objects.get()
    rows = snapshot.data["rows"]
    assert rows
    snapshot.data["rows"] = rows * 40  # more stored rows than a page holds
    snapshot.save()
    assert count_queries(client, url, params) == few
    page = client.get(url, params).content.decode()
    assert 'aria-label="Navigasi halaman"' in page or "halaman=2" in page


def test_stored_monev_pages_the_suggestions_in_order_and_search_stays_live(
        client, w, monkeypatch, django_capture_on_commit_callbacks):
    from kompeten.monev.models import Answer
    from kompeten.reports.selectors import monev

    _large(monkeypatch)
    monkeypatch.setattr(monev, "SUGGESTIONS_PER_PAGE", 1)
    client.force_login(w["organiser"])
    url = reverse("reports:monev")
    params = {"tahun": w["program"].code}
    expected = [s["text"] for s in monev.suggestions(monev_criteria(w))]
    assert len(expected) == 2
    first = _computed(client, django_capture_on_commit_callbacks, url, params)
    second = client.get(url, {**params, "page": "2"}).content.decode()
    assert expected[0] in _list(first) and expected[1] not in _list(first)
    assert expected[1] in _list(second) and "2 / 2" in second
    found = client.get(url, {**params, "q": "merit"}).content.decode()
    assert "Materi sistem merit ditambah" in _list(found)
    Answer.objects.filter(text=expected[0]).delete()  # gone since: not shown from the ids
    assert expected[0] not in _list(client.get(url, params).content.decode())


def monev_criteria(w):
    from kompeten.reports.filters import Criteria

    return Criteria(program=w["program"])


def _list(html: str) -> str:
    start = html.index('id="suggestion-list"')
    return html[start:html.index("</ul>", start)]


def test_the_reaper_deletes_figures_nobody_asked_for_in_a_week(w):
    from kompeten.common.jobs import reap

    now = timezone.now()
    old = now - services.SNAPSHOT_KEEP - dt.timedelta(hours=1)

    def stored(key, requested_at, status=SnapshotStatus.READY):
        ready = status == SnapshotStatus.READY
        return ReportSnapshot.objects.create(
            kind="funnel", key=key, language="id", requested_by=w["organiser"],
            requested_at=requested_at, status=status, data={} if ready else None,
            computed_at=requested_at if ready else None)

    stored("old", old)
    recent = stored("recent", now)
    running = stored("running-old", old, SnapshotStatus.QUEUED)
    assert reap().units >= 1
    assert set(ReportSnapshot.objects.values_list("pk", flat=True)) == {recent.pk, running.pk}
