"""A large report export runs as a background job (ReportExport): a GET asks first, a POST
starts the job, the job writes every row the direct export would, an operator's file holds
only their agency's rows, and only whoever asked downloads it."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kompeten.accounts.models import Role
from kompeten.reports import services
from kompeten.reports.models import ExportStatus, ReportExport
from kompeten.reports.views import common
from tests.conftest import make_user
from tests.reports_samples import assessed_world, monev_world, report_world

pytestmark = pytest.mark.django_db


def _rows(response):
    content = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def _file_rows(export):
    with export.file.open("rb") as handle:
        return list(load_workbook(handle).active.iter_rows(values_only=True))


@pytest.mark.parametrize("name", ["funnel", "units", "monev", "reaction", "competency"])
def test_large_export_asks_then_the_job_writes_every_row(
        client, name, monkeypatch, django_capture_on_commit_callbacks):
    w = report_world()
    organiser = make_user(Role.ORGANISER, username="org-laporan")
    w.update(assessed_world(w, organiser))
    w.update(monev_world(w))
    client.force_login(organiser)
    url = reverse(f"reports:{name}_export")
    params = {"tahun": w["program"].code, "per": "agency"}
    direct = _rows(client.get(url, params))  # small: the file itself
    assert len(direct) > 1
    monkeypatch.setattr(common, "EXPORT_DIRECT_MAX", 0)
    page = client.get(url, params)
    assert page["Content-Type"].startswith("text/html")
    assert not ReportExport.objects.exists()  # a GET starts nothing
    start = page.context["start_url"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(start)
    assert response.status_code == 302
    export = ReportExport.objects.get()
    assert (export.kind, export.status, export.created_by) == (name, ExportStatus.FINISHED,
                                                               organiser)
    assert export.written == export.total == len(direct) - 1
    assert _file_rows(export) == direct
    listed = client.get(url, params).content.decode()
    download = reverse("reports:export_file", args=[export.pk])
    assert download in listed
    assert _rows(client.get(download)) == direct
    # nobody else gets it: another organiser, an operator
    client.force_login(make_user(Role.ORGANISER, username="org-2"))
    assert client.get(download).status_code == 404
    client.force_login(make_user(Role.OPERATOR, username="op-x", agency=w["agency_a"]))
    assert client.get(download).status_code == 404


def test_operators_export_job_holds_only_their_agency():
    w = report_world()
    operator = make_user(Role.OPERATOR, username="op-bali", agency=w["agency_b"])
    # the operator asks for the other agency too: the filter is refused in the job as well
    export = services.start_report_export(
        user=operator, kind="funnel",
        query={"tahun": [w["program"].code], "per": ["agency"],
               "agency": [str(w["agency_a"].pk)]})
    assert export.agency_id == w["agency_b"].pk
    done = services.build_report_export(export_id=export.pk)
    rows = _file_rows(done)[1:]
    assert [(r[0], r[1]) for r in rows] == [("Administrator", w["agency_b"].name)]
    assert done.written == 1
    again = services.build_report_export(export_id=export.pk)  # a rerun changes nothing
    assert again.file.name == done.file.name


def test_operator_cannot_start_the_organisers_reaction_export(client):
    w = report_world()
    client.force_login(make_user(Role.OPERATOR, username="op-a", agency=w["agency_a"]))
    assert client.post(reverse("reports:export_start", args=["reaction"])).status_code == 403
    assert client.post(reverse("reports:export_start", args=["nothing"])).status_code == 404
    assert not ReportExport.objects.exists()
