"""The organiser cancels a running letters job and retries it, each after a confirmation."""

import re

import pytest
from playwright.sync_api import Page, expect

from kompeten.home.demo import DEMO_PASSWORD
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_the_organiser_cancels_then_retries_a_sending(page: Page, current_program, settings,
                                                     screenshot_dir):
    from kompeten.common.models import BackgroundJob
    from kompeten.letters.models import JobStatus, SendJob

    settings.BACKGROUND_JOBS = "worker"  # queued for a worker that is not running here
    login(page, "penyelenggara", DEMO_PASSWORD)
    page.goto("/surat-pemberitahuan/")
    page.locator("#send-form button[type=submit]").click()
    page.locator("#send-confirm").click()
    expect(page).to_have_url(re.compile(r"/pengiriman/\d+/$"))
    job = SendJob.objects.get(program=current_program, status=JobStatus.QUEUED)

    page.locator("#job-cancel").click()
    expect(page.locator("h1")).to_have_text("Batalkan pengiriman?")
    expect(page.locator("#job-action-consequence")).to_contain_text("tidak dapat ditarik")
    page.screenshot(path=screenshot_dir / "letters-job-cancel-confirm.png", full_page=True)
    page.locator("#job-action-confirm").click()
    expect(page.locator("#job-counts")).to_contain_text("Dibatalkan")
    assert BackgroundJob.objects.get(kwargs__job_id=job.pk).status == "cancelled"

    page.locator("#job-retry").click()
    expect(page.locator("h1")).to_have_text("Ulangi pengiriman?")
    page.locator("#job-action-confirm").click()
    expect(page.locator("#job-counts")).to_contain_text("Dalam antrean")
    page.screenshot(path=screenshot_dir / "letters-job-retried.png", full_page=True)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
