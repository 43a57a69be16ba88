"""Certificates in a real browser: the organiser issues the demo batch's competence
certificates (asked first, then a background job with its progress), the participant
downloads theirs from the home page and opens the QR's verification URL (VALID); the
organiser revokes it and the same URL says DICABUT."""

import io

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from kompeten.certificates.models import Certificate, Kind
from kompeten.home.demo import DEMO_PASSWORD
from kompeten.home.demo_registrations import PENGAWAS
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def _logout(page: Page) -> None:
    page.locator("#user-menu").click()
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_load_state()


def _shot(page: Page, screenshot_dir, name: str) -> None:
    page.screenshot(path=screenshot_dir / f"certificates-{name}.png", full_page=True)


def test_issue_download_verify_revoke(page: Page, screenshot_dir, current_program):
    batch = current_program.batches.filter(
        placements__registration__nip=PENGAWAS.nip).get()
    login(page, "penyelenggara", DEMO_PASSWORD)
    page.goto(f"/sertifikat/?tahun={current_program.code}")
    expect(page.locator("h1")).to_contain_text("Sertifikat")
    page.get_by_role("link", name=f"Angkatan {batch.number}", exact=True).click()
    expect(page.locator("#count-competence")).to_contain_text("0 sudah terbit")
    _shot(page, screenshot_dir, "batch")
    page.locator("#issue-competence button").click()
    expect(page.locator("#issue-consequence")).to_contain_text("sertifikat akan diterbitkan")
    page.locator("#issue-confirm").click()
    expect(page.locator("#run-counts")).to_contain_text("Selesai")
    expect(page.locator("#merged-pdf")).to_be_visible()
    _shot(page, screenshot_dir, "run")
    issued = Certificate.objects.filter(batch=batch, kind=Kind.COMPETENCE,
                                        revoked_at__isnull=True).count()
    assert issued == batch.placements.count()
    _logout(page)

    login(page, "peserta", DEMO_PASSWORD)
    panel = page.locator("#certificates-panel")
    expect(panel).to_contain_text("Sertifikat kompeten")
    item = panel.locator("li", has_text="Sertifikat kompeten")
    with page.expect_download() as download:
        item.get_by_role("link", name="Unduh PDF").click()
    data = download.value.path().read_bytes()
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    certificate = Certificate.objects.get(registration__nip=PENGAWAS.nip,
                                          registration__program=current_program,
                                          kind=Kind.COMPETENCE)
    assert reader.metadata["/Keywords"].endswith(certificate.public_id)
    _shot(page, screenshot_dir, "participant-home")
    # The QR holds SITE_URL + this path; the live server stands in for SITE_URL.
    verify_path = f"/sertifikat/v/{certificate.public_id}/"
    page.goto(verify_path)
    expect(page.locator("#verify-status")).to_contain_text("VALID")
    expect(page.locator("#verify-facts")).to_contain_text(certificate.number)
    expect(page.locator("#verify-facts")).not_to_contain_text(certificate.nip)
    _shot(page, screenshot_dir, "verify-valid")
    _logout(page)

    login(page, "penyelenggara", DEMO_PASSWORD)
    page.goto(f"/sertifikat/{certificate.pk}/")
    page.get_by_label("Alasan").fill("Pemegang tidak hadir pada uji kompetensi")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#revoke-button").click()
    expect(page.locator("#status")).to_contain_text("DICABUT")
    _logout(page)

    page.goto(verify_path)
    expect(page.locator("#verify-status")).to_contain_text("DICABUT")
    expect(page.locator("#verify-status")).to_contain_text("tidak hadir pada uji kompetensi")
    _shot(page, screenshot_dir, "verify-revoked")
