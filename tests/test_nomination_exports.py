"""The nomination list at national scale: a large Excel export runs as a background job
(progress page, private file, the requester's download only), and the paged list still finds
every row by search or agency."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kompeten.accounts.models import Role
from kompeten.nominations import exports
from kompeten.nominations.models import ExportStatus, NominationExport
from kompeten.programs.models import Level
from kompeten.registration.models import Registration, Status
from tests import factories
from tests.conftest import make_user

EXPORT = "nominations:nomination_export"


@pytest.fixture
def crowd(world):
    """30 more officials of agency A and 40 of agency B, so an export of more than
    DIRECT_MAX rows (lowered per test) becomes a job."""
    pengawas = Level.objects.get(code="pengawas")
    factories.accepted(world["program"], pengawas, world["agency_a"], 30)
    factories.accepted(world["program"], pengawas, world["agency_b"], 40)
    return world


def _rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(values) for values in sheet.iter_rows(values_only=True)]


def _visible(**scope) -> set[str]:
    return set(Registration.objects.filter(**scope).exclude(status=Status.DECLINED)
               .values_list("nip", flat=True))


def _export_through_the_pages(client, django_capture_on_commit_callbacks, query=""):
    """GET (asks), POST (starts; the job runs at the commit), then the job's page."""
    asked = client.get(reverse(EXPORT) + (f"?{query}" if query else ""))
    assert asked.status_code == 200 and "text/html" in asked["Content-Type"]
    assert 'id="export-start"' in asked.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse(EXPORT), {"query": query})
    assert started.status_code == 302
    export = NominationExport.objects.latest("pk")
    assert started.url == reverse("nominations:export_job", args=[export.pk])
    return export


@pytest.mark.django_db
def test_a_large_export_is_a_job_with_every_row_for_the_organiser(
        client, crowd, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(exports, "DIRECT_MAX", 10)
    client.force_login(crowd["users"][Role.ORGANISER])
    export = _export_through_the_pages(client, django_capture_on_commit_callbacks)
    export.refresh_from_db()
    everything = _visible(program=crowd["program"])
    assert export.status == ExportStatus.DONE and export.agency is None
    assert export.written == export.total == len(everything)
    page = client.get(reverse("nominations:export_job", args=[export.pk])).content.decode()
    assert 'id="export-download"' in page and "data-hx-get" not in page
    download = client.get(reverse("nominations:export_download", args=[export.pk]))
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"
    rows = _rows(b"".join(download.streaming_content))
    assert rows[0][:4] == ["Instansi", "Provinsi", "Jenjang", "NIP"]
    assert [r[3] for r in rows[1:]] and {r[3] for r in rows[1:]} == everything
    assert len(rows) == 1 + len(everything)


@pytest.mark.django_db
def test_operator_a_gets_only_agency_a_and_nobody_else_gets_the_file(
        client, crowd, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(exports, "DIRECT_MAX", 10)
    operator = crowd["users"][Role.OPERATOR]
    client.force_login(operator)
    # Asking for agency B's rows changes nothing: the operator's rows are agency A's.
    export = _export_through_the_pages(client, django_capture_on_commit_callbacks,
                                       query=f"agency={crowd['agency_b'].pk}")
    export.refresh_from_db()
    own = _visible(program=crowd["program"], agency=crowd["agency_a"])
    assert export.agency == crowd["agency_a"] and export.status == ExportStatus.DONE
    download = client.get(reverse("nominations:export_download", args=[export.pk]))
    rows = _rows(b"".join(download.streaming_content))
    assert {r[3] for r in rows[1:]} == own and len(rows) == 1 + len(own)
    assert {r[0] for r in rows[1:]} == {crowd["agency_a"].name}
    for other in (crowd["users"][Role.ORGANISER],
                  make_user(Role.OPERATOR, username="op-b-export", agency=crowd["agency_b"])):
        client.force_login(other)
        for name in ("nominations:export_job", "nominations:export_download"):
            assert client.get(reverse(name, args=[export.pk])).status_code == 404


@pytest.mark.django_db
def test_the_export_keeps_the_lists_filters(client, crowd, monkeypatch,
                                            django_capture_on_commit_callbacks):
    monkeypatch.setattr(exports, "DIRECT_MAX", 10)
    client.force_login(crowd["users"][Role.ORGANISER])
    export = _export_through_the_pages(client, django_capture_on_commit_callbacks,
                                       query="province=Bali")
    export.refresh_from_db()
    rows = _rows(b"".join(client.get(reverse("nominations:export_download",
                                            args=[export.pk])).streaming_content))
    bali = _visible(program=crowd["program"], agency__province="Bali")
    assert len(bali) >= 40 and {r[3] for r in rows[1:]} == bali


@pytest.mark.django_db
def test_the_progress_page_moves_until_the_file_is_ready(client, crowd, monkeypatch):
    operator = crowd["users"][Role.OPERATOR]
    export = exports.start_export(program=crowd["program"], by=operator, query="")
    client.force_login(operator)
    url = reverse("nominations:export_job", args=[export.pk])
    waiting = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "data-hx-get" in waiting and 'id="export-download"' not in waiting
    assert f"0 dari {export.total} baris" in waiting
    # Every row counts while the job runs: the page polls and shows the rows written so far.
    seen = []
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 10)
    monkeypatch.setattr(exports.jobs, "beat", lambda: seen.append(client.get(
        url, headers={"HX-Request": "true"}).content.decode()))
    exports.write_export(export_id=export.pk)
    assert len(seen) == export.total // 10 >= 3
    assert all("data-hx-get" in page and "Sedang dibuat" in page for page in seen)
    assert [f"{10 * (i + 1)} dari {export.total} baris" in page
            for i, page in enumerate(seen)] == [True] * len(seen)
    done = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "data-hx-get" not in done and 'id="export-download"' in done and "100%" in done
    # A finished export is never written again (a second delivery of the job).
    name = NominationExport.objects.get(pk=export.pk).file.name
    exports.write_export(export_id=export.pk)
    assert NominationExport.objects.get(pk=export.pk).file.name == name


@pytest.mark.django_db
def test_a_failed_export_says_so(client, crowd, monkeypatch):
    organiser = crowd["users"][Role.ORGANISER]
    export = exports.start_export(program=crowd["program"], by=organiser, query="")

    def broken(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(exports, "write_nominations", broken)
    exports.write_export(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and "disk full" in export.error
    client.force_login(organiser)
    page = client.get(reverse("nominations:export_job", args=[export.pk])).content.decode()
    assert 'id="export-failed"' in page and "data-hx-get" not in page
    download = client.get(reverse("nominations:export_download", args=[export.pk]))
    assert download.status_code == 302


@pytest.mark.django_db
def test_a_small_export_is_still_downloaded_at_once(client, crowd):
    client.force_login(crowd["users"][Role.OPERATOR])
    response = client.get(reverse(EXPORT))
    assert response["Content-Disposition"].startswith("attachment;")
    assert not NominationExport.objects.exists()


# -- the paged list still finds every row -----------------------------------------------------

def _listed(response) -> set[str]:
    return {r.nip for r in response.context["table"].page.object_list.data}


@pytest.mark.django_db
def test_the_paged_list_finds_a_row_of_a_later_page_by_search_and_agency(client, crowd):
    client.force_login(crowd["users"][Role.ORGANISER])
    url = reverse("nominations:nomination_list")
    first_page = client.get(url)
    assert first_page.context["table"].paginator.num_pages >= 2
    last = Registration.objects.filter(agency=crowd["agency_b"]).order_by("-plain_name").first()
    assert last.nip not in _listed(first_page)
    assert _listed(client.get(url, {"q": last.plain_name})) == {last.nip}
    assert _listed(client.get(url, {"q": last.nip})) == {last.nip}
    # The agency is a text field (name or code), not a select of every agency.
    page = first_page.content.decode()
    assert '<select name="agency"' not in page and 'name="instansi"' in page
    by_code = _listed(client.get(url, {"instansi": crowd["agency_b"].code.lower()}))
    by_name = _listed(client.get(url, {"instansi": "bali", "page": 1}))
    assert last.nip in by_code and by_code == by_name
    assert by_code <= _visible(agency=crowd["agency_b"])
    # A link filtered by the agency's id still works and names the agency.
    linked = client.get(url, {"agency": crowd["agency_b"].pk})
    assert _listed(linked) <= _visible(agency=crowd["agency_b"])
    assert crowd["agency_b"].name in linked.content.decode().split('id="agency-chosen"')[1]
