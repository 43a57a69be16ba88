"""The review loop in a real browser: organiser sends back, participant resubmits, accepted."""

import pytest
from playwright.sync_api import Page, expect

from kompeten.home.demo import DEMO_PASSWORD
from kompeten.registration.models import Registration, Status
from kompeten.review import submission
from tests.browser.conftest import login
from tests.factories import complete

pytestmark = pytest.mark.browser


def _logout(page: Page) -> None:
    page.locator("#user-menu").click()
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_load_state()


PARTICIPANT = "197208171998122001"


def test_revise_resubmit_accept(page: Page, screenshot_dir, current_program):
    # The demo's Administrator example (Dr. NH) is registered in 2019 and in the current
    # programme (`peserta` is already accepted and placed there for the e-learning demo); the
    # review queue and the participant's pages are the current programme's.
    registration = Registration.objects.get(user__username=PARTICIPANT, program=current_program)
    complete(registration)
    submission.submit_registration(registration=registration)

    login(page, "penyelenggara", DEMO_PASSWORD)
    page.locator("nav").get_by_role("button", name="Peserta", exact=True).click()
    page.locator("nav").get_by_role("link", name="Review berkas", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Review berkas")
    page.locator("#review-queue").get_by_role("link", name=registration.full_name).click()
    expect(page.locator("#plan")).to_be_visible()
    expect(page.locator("#cv-profile")).to_contain_text(registration.nip)
    page.get_by_label("Dikembalikan untuk perbaikan").check()
    page.locator("#decision-form button[type=submit]").click()
    # no comment: the error is shown next to the choice and nothing is decided
    expect(page.locator("#id_decision-error")).to_contain_text("minimal satu bagian")
    page.locator("#id_comment_action_plan").fill("Tujuan belum terukur.")
    page.locator("#decision-form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("Dikembalikan untuk perbaikan")
    _logout(page)

    login(page, PARTICIPANT, DEMO_PASSWORD)
    page.goto("/pendaftaran/")
    feedback = page.locator("#review-feedback")
    expect(feedback).to_contain_text("Tujuan belum terukur.")
    page.screenshot(path=screenshot_dir / "review-participant-feedback.png", full_page=True)
    page.get_by_role("button", name="Kirim pendaftaran untuk direview").click()
    expect(page.locator("#review-feedback")).to_have_count(0)
    _logout(page)

    login(page, "penyelenggara", DEMO_PASSWORD)
    page.goto(f"/review/{registration.pk}/")
    expect(page.locator("#previous-comments")).to_contain_text("Tujuan belum terukur.")
    expect(page.locator("#history [data-version]")).to_have_count(2)
    page.screenshot(path=screenshot_dir / "review-page.png", full_page=True)
    page.get_by_label("Diterima").check()
    page.locator("#decision-form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("Diterima")
    registration.refresh_from_db()
    assert registration.status == Status.ACCEPTED
