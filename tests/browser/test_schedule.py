"""The public schedule (table with htmx filters) and the month calendar."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

ROWS = "#schedule-table tbody tr:not(.no-results)"


def test_schedule_lists_all_fifty_batches(page: Page, screenshot_dir, current_program):
    # Without ?tahun= the schedule is the current programme's: the demo's copy of 2019.
    assert current_program.batches.count() == 50
    page.goto("/jadwal/")

    expect(page.locator("h1")).to_have_text(
        re.compile(rf"Jadwal Pelatihan dan Sertifikasi\s+{current_program.year}"))
    expect(page.locator(ROWS)).to_have_count(50)
    expect(page.locator("#schedule-count")).to_have_text("50 angkatan")
    first = page.locator(ROWS).first
    expect(first).to_contain_text("Pelatihan Teknis Kepegawaian dan Sertifikasi Akt 1")
    expect(first).to_contain_text("JPT Pratama")
    page.screenshot(path=screenshot_dir / "schedule.png", full_page=True)


@pytest.mark.parametrize(("level", "count"), [
    ("Pengawas", 15), ("JPT Pratama", 3), ("Administrator", 32),
])
def test_level_filter_swaps_the_table_with_htmx(page: Page, level, count):
    page.goto("/jadwal/?tahun=2019")
    expect(page.locator(ROWS)).to_have_count(50)
    # A marker on the document proves the table is swapped in place, not by a page reload.
    page.evaluate("window.__noReload = true")

    page.select_option("select[name=level]", label=level)

    expect(page.locator(ROWS)).to_have_count(count)
    expect(page.locator("#schedule-count")).to_have_text(f"{count} angkatan")
    level_cells = page.locator(f"{ROWS} td:nth-child(3)")  # Jenjang
    expect(level_cells).to_have_count(count)
    assert set(level_cells.all_inner_texts()) == {level}
    assert page.evaluate("window.__noReload") is True
    expect(page).to_have_url(re.compile(r"[?&]level="))  # hx-push-url

    page.select_option("select[name=level]", value="")
    expect(page.locator(ROWS)).to_have_count(50)


def test_month_filter_combines_with_level(page: Page):
    # the month counts are those of the 2019 schedule in the source document
    page.goto("/jadwal/?tahun=2019")
    page.select_option("select[name=month]", label="Juli")
    expect(page.locator(ROWS)).to_have_count(24)
    page.select_option("select[name=level]", label="Pengawas")
    expect(page.locator(ROWS)).to_have_count(15)
    page.select_option("select[name=month]", label="Mei")
    expect(page.locator(ROWS)).to_have_count(0)
    page.select_option("select[name=level]", label="JPT Pratama")
    expect(page.locator(ROWS)).to_have_count(3)

    # the pushed URL reproduces the filtered page on a full load
    expect(page).to_have_url(re.compile(r"[?&]tahun=2019(&|$)"))
    page.reload()
    expect(page.locator("h1")).to_contain_text("2019")
    expect(page.locator("select[name=level]")).to_have_value("jpt-pratama")
    expect(page.locator("select[name=month]")).to_have_value("5")
    expect(page.locator(ROWS)).to_have_count(3)


def test_calendar_july_2019_shows_batches_on_july_first(page: Page, screenshot_dir):
    page.goto("/jadwal/kalender/?tahun=2019&bulan=2019-07")

    expect(page.locator("h1")).to_contain_text("2019")
    calendar = page.locator("table#calendar")
    expect(calendar).to_be_visible()
    july_first = calendar.locator("td").filter(
        has=page.locator(".day-number", has_text=re.compile(r"^1$"))
    )
    expect(july_first).to_have_count(1)
    chips = july_first.locator(".batch-chip")
    expect(chips.filter(has_text=re.compile(r"^Akt 4 ·"))).to_have_count(1)
    expect(chips.filter(has_text="Akt 4")).to_contain_text("Pengawas")
    # batches 4, 5 and 6 start on 1 July 2019
    expect(chips).to_have_text([re.compile(rf"^Akt {n} · Pengawas") for n in (4, 5, 6)])
    page.screenshot(path=screenshot_dir / "calendar-2019-07.png", full_page=True)


def test_ics_feed_is_served(page: Page, live_server):
    response = page.request.get(f"{live_server.url}/jadwal/2019.ics")
    assert response.ok
    assert response.headers["content-type"].startswith("text/calendar")
    body = response.text()
    assert body.startswith("BEGIN:VCALENDAR")
    assert body.count("BEGIN:VEVENT") == 50
