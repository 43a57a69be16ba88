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
