"""Switching the interface language from the navbar."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_language_select_switches_to_english_and_back(page: Page, live_server):
    page.goto("/jadwal/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("#language")).to_have_value("id")

    with page.expect_navigation():
        page.select_option("#language", "en")  # onchange submits the set_language form

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{live_server.url}/jadwal/")  # back where we were ("next")
    expect(page.locator("#language")).to_have_value("en")

    # the choice is remembered (cookie) on the next page
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    with page.expect_navigation():
        page.select_option("#language", "id")
    expect(page.locator("html")).to_have_attribute("lang", "id")
