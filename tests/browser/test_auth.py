"""Logging in and out through the real login form, one demo account per role."""

import re

import pytest
from playwright.sync_api import Page, expect

from kompeten.home.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.browser.conftest import HOME_HEADINGS, login

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=[a.username for a in DEMO_ACCOUNTS])
def test_each_role_logs_in_reaches_its_home_and_logs_out(
    page: Page, live_server, screenshot_dir, current_program, account
):
    login(page, account.username, DEMO_PASSWORD)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("h1")).to_have_text(HOME_HEADINGS[account.role])
    user_menu = page.locator("#user-menu")
    expect(user_menu).to_contain_text(str(account.role.label))
    expect(user_menu.locator(".badge")).to_have_text(str(account.role.label))
    expect(user_menu).to_contain_text(account.full_name)
    if account.agency_code:
        # operators get a link to their own agency in the navbar
        expect(page.get_by_role("link", name="Instansi saya")).to_be_visible()
    page.screenshot(path=screenshot_dir / f"home-{account.username}.png", full_page=True)

    user_menu.click()
    logout = page.get_by_role("button", name="Keluar")
    expect(logout).to_be_visible()
    logout.click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("#user-menu")).to_have_count(0)
    expect(page.locator("nav").get_by_role("link", name="Masuk", exact=True)).to_be_visible()
    # the public landing page, about the current programme
    expect(page.locator("h1")).to_have_text(f"{current_program.name} {current_program.year}")
    # the session is really gone: a page behind login sends us back to the login form
    page.goto("/data-induk/")
    expect(page).to_have_url(re.compile(r"/akun/masuk/\?next="))


def test_wrong_password_shows_indonesian_error(page: Page, live_server):
    login(page, "operator", "bukan-kata-sandinya")

    expect(page).to_have_url(f"{live_server.url}/akun/masuk/")
    expect(page.locator("h1")).to_have_text("Masuk ke Kompeten")
    alert = page.locator(".alert-danger[role=alert]")
    expect(alert).to_be_visible()
    # Django's own Indonesian message for AuthenticationForm's invalid_login
    expect(alert).to_contain_text("dan sandi yang benar")
    expect(alert).to_contain_text("Huruf besar/kecil pada bidang ini berpengaruh")
    expect(page.locator("#user-menu")).to_have_count(0)
    expect(page.locator("#id_username")).to_have_value("operator")


def test_anonymous_sees_public_landing_page(page: Page, current_program):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("h1")).to_have_text(f"{current_program.name} {current_program.year}")
    expect(page.get_by_role("link", name="Lihat jadwal angkatan")).to_be_visible()
