"""The funnel report: exact counts on a hand-built world, operator scoping, the export."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kompeten.accounts.models import Role
from kompeten.reports.filters import Criteria
from kompeten.reports.selectors.funnel import funnel
from tests.conftest import make_user
from tests.queries import count_queries
from tests.reports_samples import official, report_world

pytestmark = pytest.mark.django_db

PENGAWAS = [8, 7, 6, 5, 4, 3, 2, 1]
ADMINISTRATOR = [2, 2, 2, 2, 2, 1, 0, 0]


def _counts(result):
    return {row.level: row.counts[:8] for row in result.rows}


def test_funnel_counts_every_step_per_level():
    w = report_world()
    result = funnel(criteria=Criteria(program=w["program"]))
    assert [s.key for s in result.steps][:8] == [
        "nominated", "invited", "registered", "submitted", "accepted", "placed", "elearning",
        "attended"]
    assert _counts(result) == {"Pengawas": PENGAWAS, "Administrator": ADMINISTRATOR}
    pengawas = next(r for r in result.rows if r.level == "Pengawas")
    assert pengawas.conversions[:3] == [None, 87.5, 85.7]
    assert result.totals[:8] == [a + b for a, b in zip(PENGAWAS, ADMINISTRATOR)]


def test_funnel_per_agency_and_province_and_filters():
    w = report_world()
    by_agency = funnel(criteria=Criteria(program=w["program"]), grouping="agency")
    assert {(r.group, r.province): r.counts[0] for r in by_agency.rows} == {
        (w["agency_a"].name, "Aceh"): 8, (w["agency_b"].name, "Bali"): 2}
    bali = funnel(criteria=Criteria(program=w["program"], province="Bali"))
    assert _counts(bali) == {"Administrator": ADMINISTRATOR}
    batch = funnel(criteria=Criteria(program=w["program"], batch=w["batch_p"]))
    assert _counts(batch) == {"Pengawas": [3, 3, 3, 3, 3, 3, 2, 1]}
    level = funnel(criteria=Criteria(program=w["program"], level=w["administrator"]))
    assert list(_counts(level)) == ["Administrator"]


def test_operator_sees_own_agency_only_and_other_agency_filter_is_refused(client):
    w = report_world()
    operator = make_user(Role.OPERATOR, username="op-bali", agency=w["agency_b"])
    client.force_login(operator)
    url = reverse("reports:funnel")
    page = client.get(url, {"tahun": w["program"].code, "agency": w["agency_a"].pk,
                            "per": "agency"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "saringan instansi lain diabaikan" in html
    assert w["agency_a"].name not in html
    assert w["agency_b"].name in html
    result = page.context["funnel"]
    assert _counts(result) == {"Administrator": ADMINISTRATOR}
    export = client.get(reverse("reports:funnel_export"),
                        {"tahun": w["program"].code, "agency": w["agency_a"].pk})
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["Administrator"]
    assert rows[1][3] == 2


def test_export_matches_page_rows(client):
    w = report_world()
    client.force_login(make_user(Role.ORGANISER))
    params = {"tahun": w["program"].code, "per": "province"}
    page = client.get(reverse("reports:funnel"), params)
    export = client.get(reverse("reports:funnel_export"), params)
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))[1:]
    page_rows = page.context["funnel"].rows
    assert [(r[0], r[2], list(r[3::2])) for r in rows] == [
        (r.level, r.province, r.counts) for r in page_rows]
    assert "<svg" in page.content.decode()


def test_funnel_page_keeps_constant_queries(client):
    w = report_world()
    client.force_login(make_user(Role.ORGANISER))
    url = reverse("reports:funnel")
    params = {"tahun": w["program"].code, "per": "agency"}
    small = count_queries(client, url, params)
    for _ in range(15):
        official(w["program"], w["agency_b"], w["pengawas"], "invited")
    assert count_queries(client, url, params) == small


def test_agency_filter_is_a_text_search_that_finds_any_agency(client):
    """Thousands of agencies nationally: no <select> of every one; part of the name finds
    an agency's rows (and the export keeps the search)."""
    w = report_world()
    client.force_login(make_user(Role.ORGANISER))
    url = reverse("reports:funnel")
    page = client.get(url, {"tahun": w["program"].code, "per": "agency"})
    html = page.content.decode()
    assert 'name="agency"' not in html and 'name="instansi"' in html
    part = w["agency_b"].name[2:-1]
    found = client.get(url, {"tahun": w["program"].code, "per": "agency", "instansi": part})
    assert [r.group for r in found.context["funnel"].rows] == [w["agency_b"].name]
    assert "instansi=" in found.context["export_url"]
    export = client.get(found.context["export_url"])
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content)))
                .active.iter_rows(values_only=True))[1:]
    assert {r[1] for r in rows} == {w["agency_b"].name}


def test_batch_filter_is_the_batch_number(client):
    """Thousands of batches nationally: the batch's number instead of a <select>."""
    w = report_world()
    client.force_login(make_user(Role.ORGANISER))
    url = reverse("reports:funnel")
    page = client.get(url, {"tahun": w["program"].code})
    assert 'name="batch"' not in page.content.decode()
    found = client.get(url, {"tahun": w["program"].code, "angkatan": w["batch_p"].number})
    assert _counts(found.context["funnel"]) == {"Pengawas": [3, 3, 3, 3, 3, 3, 2, 1]}
    assert f'value="{w["batch_p"].number}"' in found.content.decode()
