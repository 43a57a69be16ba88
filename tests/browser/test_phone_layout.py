"""At 390 px (a phone) the review page, the action plan and the nominations list fit the
screen: no page-wide sideways scrolling, and every column of their tables is on screen."""

import pytest
from playwright.sync_api import Page

from kompeten.home.demo import DEMO_PASSWORD
from kompeten.registration.models import Registration
from kompeten.review.submission import submit_registration
from tests.browser.conftest import login
from tests.factories import complete

PHONE = {"width": 390, "height": 844}


def _fits(page: Page, table: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    cells = page.locator(f"{table} tbody td")
    assert cells.count() > 0
    for i in range(cells.count()):
        box = cells.nth(i).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, i


@pytest.mark.django_db(transaction=True)
def test_phone_pages_show_every_column(page: Page, demo):
    # The Administrator example (Dr. NH): `peserta` is already accepted in the current
    # programme (e-learning demo), so their file cannot be submitted again.
    registration = (Registration.objects.filter(user__username="197208171998122001")
                    .order_by("-pk").first())
    complete(registration)
    submit_registration(registration=registration)
    page.set_viewport_size(PHONE)

    login(page, "197208171998122001", DEMO_PASSWORD)
    page.goto("/pendaftaran/rencana-tindak-lanjut/")
    _fits(page, "#rtl-milestone-table")
    page.context.clear_cookies()

    login(page, "penyelenggara", DEMO_PASSWORD)
    page.goto(f"/review/{registration.pk}/")
    _fits(page, "#milestones")
    page.goto("/usulan/")
    _fits(page, "#nomination-table")
    page.goto("/")
    _fits(page, "#funnel")
