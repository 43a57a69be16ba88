"""The organiser opens the funnel and the competency map on the demo data, and exports both."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from kompeten.home.demo import DEMO_PASSWORD
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def _download(page: Page) -> list[tuple]:
    with page.expect_download() as info:
        page.click("#report-export")
    data = open(info.value.path(), "rb").read()  # noqa: SIM115 - Playwright's temp file
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def test_organiser_opens_funnel_and_competency_map_and_exports(page: Page, screenshot_dir,
                                                               current_program):
    login(page, "penyelenggara", DEMO_PASSWORD)
    page.goto("/laporan/")
    page.get_by_role("link", name="Corong peserta per jenjang").click()
    expect(page.locator("h1")).to_have_text("Corong peserta")
    expect(page.locator("#funnel-chart svg")).to_be_visible()
    pengawas = page.locator("#funnel-table tbody tr", has_text="Pengawas")
    expect(pengawas).to_have_count(1)
    nominated = int(pengawas.locator("td").first.inner_text().split()[0])
    assert nominated >= 10  # peserta and the colleagues of batch 4
    page.select_option("#id_per", "province")
    page.get_by_role("button", name="Terapkan").click()
    expect(page.locator("#funnel-table thead")).to_contain_text("Provinsi")
    page.screenshot(path=screenshot_dir / "reports-funnel.png", full_page=True)
    rows = _download(page)
    assert rows[0][0] == "Jenjang"
    page_rows = page.locator("#funnel-table tbody tr").count()
    assert len(rows) - 1 == page_rows

    page.goto("/laporan/")
    page.get_by_role("link", name="Peta kompetensi per instansi dan provinsi").click()
    expect(page.locator("h1")).to_have_text("Peta kompetensi")
    expect(page.locator("#id_tahun")).to_have_value("semua")
    agencies = page.locator("#agency-table tbody tr")
    # every agency, with or without certificates: a page of 50 on screen, the pager says
    # how many pages, and the export holds them all
    assert agencies.count() == 50
    pages = int(page.locator(".pagination .active").inner_text().split()[-1])
    assert pages >= 7
    page.screenshot(path=screenshot_dir / "reports-competency.png", full_page=True)
    rows = _download(page)
    assert rows[0][:2] == ("Instansi", "Provinsi")
    assert 50 * (pages - 1) < len(rows) - 1 <= 50 * pages
    assert len(rows) - 1 > 300


def test_a_large_report_is_computed_in_the_background_and_the_page_follows(
        page: Page, settings, monkeypatch, current_program):
    """Filters over more registrations than a request aggregates: the page says the figures
    are being computed, polls, and shows them (with their time) once the worker is done."""
    from kompeten.common.jobs import run_pending
    from kompeten.reports.selectors import snapshots

    settings.BACKGROUND_JOBS = "worker"  # a job row for the worker, as `make run` has it
    monkeypatch.setattr(snapshots, "LIVE_MAX_REGISTRATIONS", 1)
    login(page, "penyelenggara", DEMO_PASSWORD)
    page.goto("/laporan/kelulusan/")
    status = page.locator("#report-snapshot")
    expect(status).to_contain_text("sedang dihitung di latar belakang")
    expect(status.get_by_role("progressbar")).to_be_visible()
    expect(page.locator("#units-table")).to_have_count(0)
    assert run_pending() >= 1  # the worker's turn
    expect(page.locator("#units-table")).to_be_visible(timeout=15_000)
    expect(page.locator("#report-snapshot")).to_contain_text("Data per")
    page.get_by_role("button", name="Hitung ulang sekarang").click()
    expect(page.locator("#report-snapshot")).to_contain_text("Angka terbaru sedang dihitung")
    expect(page.locator("#units-table")).to_be_visible()  # the older figures meanwhile
    assert run_pending() >= 1
    expect(page.get_by_role("button", name="Hitung ulang sekarang")).to_be_visible(
        timeout=15_000)
