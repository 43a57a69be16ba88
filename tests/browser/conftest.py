"""Fixtures for the Playwright browser tests (run with `make test-browser`).

Headless Debian Chromium (``/usr/bin/chromium``, override with ``CHROMIUM_PATH``) is driven
through Playwright's sync API against pytest-django's ``live_server``. The browser is started
once per session; every test gets a fresh browser context (cookies, language) and a freshly
loaded demo database.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio event loop in this thread; Django refuses database
# access from a thread with a running loop unless told otherwise.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

from kompeten.accounts.models import Role  # noqa: E402

CHROMIUM_PATH = os.getenv("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "var" / "screenshots"

# The <h1> of each role's home page.
HOME_HEADINGS = {
    Role.ORGANISER: "Beranda penyelenggara",
    Role.OPERATOR: "Beranda operator instansi",
    Role.PARTICIPANT: "Beranda peserta",
    Role.FACILITATOR: "Beranda Fasilitator",
    Role.ASSESSOR: "Beranda Asesor",
}

expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM_PATH).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM_PATH} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db, settings) -> dict[str, int]:
    """The demo programme, agencies and one account per role (password DEMO_PASSWORD)."""
    from kompeten.home.demo import load_demo

    # PBKDF2 costs ~0.2 s per hash (six demo accounts, every test): not what these tests
    # are about. The live server runs in this process, so it checks logins with it too.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return load_demo()


@pytest.fixture
def current_program(demo):
    """The programme the pages show without ?tahun=: the demo's copy dated around today
    (its code and year follow the day the tests run, so tests read them from here)."""
    from kompeten.programs.selectors import current_program

    program = current_program()
    assert program is not None and program.code == demo["current_program"]
    return program


@pytest.fixture
def page(browser: Browser, live_server, demo) -> Iterator[Page]:
    # Browsers send Accept-Language; pin it to Indonesian so LocaleMiddleware serves the
    # default language regardless of the machine's locale.
    context = browser.new_context(
        base_url=live_server.url, locale="id-ID", viewport={"width": 1280, "height": 900},
        extra_http_headers={"Accept-Language": "id"},
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR


def login(page: Page, username: str, password: str) -> None:
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_load_state()
