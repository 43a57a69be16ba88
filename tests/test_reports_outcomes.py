"""Pass rates, reaction and monev reports: exact numbers on a hand-built world, operator
scoping, exports equal to the page rows, constant queries."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kompeten.accounts.models import Role
from kompeten.reports.filters import Criteria
from kompeten.reports.selectors import monev, reaction, units
from kompeten.reports.selectors.funnel import funnel
from tests.conftest import make_user
from tests.queries import count_queries
from tests.reports_samples import assessed_world, monev_world, official, report_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    world = report_world()
    world["organiser"] = make_user(Role.ORGANISER, username="org-laporan")
    world.update(assessed_world(world, world["organiser"]))
    world.update(monev_world(world))
    return world


def _sheet(response):
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return list(sheet.iter_rows(values_only=True))


def test_pass_rates_per_unit_and_batch_use_current_released_decisions(w):
    criteria = Criteria(program=w["program"])
    rows = {r.label: (r.assessed, r.competent, r.rate) for r in units.per_unit(criteria)}
    assert rows == {"P1": (3, 2, 66.7), "P2": (3, 3, 100.0)}
    batches = [(r.label, r.assessed, r.competent) for r in units.per_batch(criteria)]
    assert batches == [("1", 6, 5)]


def test_funnel_later_steps_count_assessed_competent_and_monev(w):
    result = funnel(criteria=Criteria(program=w["program"], level=w["pengawas"]))
    counts = dict(zip([s.key for s in result.steps], result.totals, strict=True))
    assert counts["assessed"] == 3
    assert counts["competent"] == 2  # a2 has a BK on P1
    assert counts["monev"] == 2


def test_reaction_per_facilitator_and_batch(w):
    rows = reaction.per_facilitator_and_batch(Criteria(program=w["program"]))
    assert [(r.facilitator, r.batch, r.count, r.average, r.distribution) for r in rows] == [
        ("", 1, 1, 2.0, [0, 1, 0, 0, 0]),
        ("Dr. Fasilitator Laporan", 1, 3, 4.0, [0, 0, 1, 1, 1])]


def test_monev_rates_progress_impact_views_and_suggestions(w):
    criteria = Criteria(program=w["program"])
    assert [(r.offset, r.audience, r.invited, r.answered) for r in
            monev.response_rates(criteria)] == [(3, "Peserta", 3, 2), (3, "Atasan/mentor", 2, 1)]
    assert [(r.horizon, r.milestones, r.done) for r in monev.plan_progress(criteria)] == [
        ("Jangka pendek (≤3 bulan)", 2, 1), ("Jangka menengah (≤6 bulan)", 1, 0)]
    impact = [(r.audience, r.answers, r.average) for r in monev.impact_by_level(criteria)]
    assert impact == [("Peserta", 2, 3.0), ("Atasan/mentor", 1, 3.0)]
    compared = {r.theme: (r.participant, r.supervisor) for r in monev.views_compared(criteria)}
    assert compared["Penerapan"] == (4.0, 2.0) and compared["Dampak terhadap kinerja"] == (
        3.0, 3.0)
    texts = [s["text"] for s in monev.suggestions(criteria, query="merit")]
    assert texts == ["Materi sistem merit ditambah"]


def test_operator_of_another_agency_sees_none_of_these_numbers(client, w):
    operator = make_user(Role.OPERATOR, username="op-b", agency=w["agency_b"])
    client.force_login(operator)
    params = {"tahun": w["program"].code, "agency": w["agency_a"].pk}
    page = client.get(reverse("reports:units"), params)
    assert "saringan instansi lain diabaikan" in page.content.decode()
    assert page.context["units"] == [] and page.context["batches"] == []
    assert "items" not in page.context  # item statistics are the organiser's
    monev_page = client.get(reverse("reports:monev"), params)
    assert monev_page.context["rates"] == []
    assert "sistem merit" not in monev_page.content.decode()
    rows = _sheet(client.get(reverse("reports:monev_export"), params))
    assert len(rows) == 1  # the header only
    assert client.get(reverse("reports:reaction")).status_code == 403


def test_exports_match_the_pages(client, w):
    client.force_login(w["organiser"])
    params = {"tahun": w["program"].code}
    page = client.get(reverse("reports:units"), params)
    rows = _sheet(client.get(reverse("reports:units_export"), params))[1:]
    assert [(r[1], r[4], r[5]) for r in rows if r[0] == "Unit"] == [
        (u.label, u.assessed, u.competent) for u in page.context["units"]]
    page = client.get(reverse("reports:reaction"), params)
    rows = _sheet(client.get(reverse("reports:reaction_export"), params))[1:]
    assert [r[3] for r in rows] == [r.count for r in page.context["rows"]]
    rows = _sheet(client.get(reverse("reports:monev_export"), params))[1:]
    assert sorted(r[3] for r in rows if r[0] == "Saran") == [
        "Materi sistem merit ditambah", "Perlu pendampingan mentor"]


@pytest.mark.parametrize("name", ["units", "monev", "reaction", "funnel"])
def test_report_pages_keep_constant_queries(client, w, name):
    client.force_login(w["organiser"])
    url = reverse(f"reports:{name}")
    params = {"tahun": w["program"].code}
    small = count_queries(client, url, params)
    for _ in range(10):
        official(w["program"], w["agency_b"], w["pengawas"], "accepted")
    assert count_queries(client, url, params) == small


def test_competency_map_counts_valid_competence_certificates_across_years(client, w):
    from kompeten.reports.selectors.competency import competency_map
    from tests.reports_samples import certified_world

    certified_world(w)
    organiser = w["organiser"]
    everything = competency_map(criteria=Criteria(program=None))
    names = [level.name for level in everything.levels]
    rows = {row.name: dict(zip(names, row.counts, strict=True)) for row in everything.agencies}
    assert rows[w["agency_a"].name]["Pengawas"] == 3
    assert rows[w["agency_b"].name]["Administrator"] == 1
    provinces = {row.name: row.total for row in everything.provinces}
    assert provinces["Aceh"] == 3 and provinces["Bali"] == 1
    this_year = competency_map(criteria=Criteria(program=w["program"]))
    assert {r.name: r.total for r in this_year.agencies}[w["agency_a"].name] == 2
    client.force_login(organiser)
    page = client.get(reverse("reports:competency"))
    assert page.context["criteria"].program is None  # all years by default
    assert "<svg" in page.content.decode()
    rows = _sheet(client.get(reverse("reports:competency_export")))
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name[w["agency_a"].name][-1] == 3


def test_operator_competency_map_lists_only_own_agency(client, w):
    from tests.reports_samples import certified_world

    certified_world(w)
    client.force_login(make_user(Role.OPERATOR, username="op-a", agency=w["agency_a"]))
    page = client.get(reverse("reports:competency"), {"agency": w["agency_b"].pk})
    html = page.content.decode()
    assert w["agency_b"].name not in html and "Bali" not in html
    assert [r.name for r in page.context["map"].agencies] == [w["agency_a"].name]


def test_competency_map_keeps_constant_queries(client, w):
    from tests.reports_samples import certificate, certified_world

    certified_world(w)
    client.force_login(w["organiser"])
    url = reverse("reports:competency")
    small = count_queries(client, url)
    for _ in range(5):
        certificate(official(w["program"], w["agency_b"], w["pengawas"], "accepted"))
    assert count_queries(client, url) == small
