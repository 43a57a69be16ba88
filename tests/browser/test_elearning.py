"""E-learning in a real browser: a participant studies a module, posts in the forum and
uploads a resume; a facilitator of the batch accepts it."""

import pytest
from playwright.sync_api import Page, expect

from kompeten.elearning.models import Resume
from kompeten.home.demo import DEMO_PASSWORD
from tests.browser.conftest import login
from tests.upload_samples import pdf_bytes

pytestmark = pytest.mark.browser


def _logout(page: Page) -> None:
    page.locator("#user-menu").click()
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_load_state()


def _shots(page: Page, screenshot_dir, name: str) -> None:
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=screenshot_dir / f"elearning-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_study_post_upload_and_accept(page: Page, screenshot_dir, tmp_path):
    login(page, "peserta", DEMO_PASSWORD)
    page.get_by_role("link", name="Buka e-learning").click()
    expect(page.locator("h1")).to_contain_text("E-learning")
    module3 = page.locator("section[id^=modul-]").nth(2)
    module3.get_by_role("button", name="Tandai sudah dipelajari").click()
    expect(page.locator(".alert-success")).to_contain_text("sudah dipelajari")
    module3 = page.locator("section[id^=modul-]").nth(2)
    expect(module3.locator(".badge", has_text="sudah dipelajari")).to_be_visible()
    resume = tmp_path / "resume-modul-3.pdf"
    resume.write_bytes(pdf_bytes("Resume modul 3"))
    module3.locator("input[type=file]").set_input_files(resume)
    module3.get_by_role("button", name="Kirim resume").click()
    expect(page.locator(".alert-success")).to_contain_text("Resume modul")
    _shots(page, screenshot_dir, "participant")

    page.locator("section[id^=modul-]").first.get_by_role("link", name="Forum diskusi").click()
    page.get_by_role("link", name="Sistem merit di instansi daerah").click()
    expect(page.locator(".badge", has_text="Jawaban fasilitator")).to_be_visible()
    page.get_by_role("link", name="Kutip").first.click()
    page.get_by_label("Balasan").fill("Apakah <b>peta jabatan</b> wajib per unit kerja?")
    page.get_by_role("button", name="Kirim balasan").click()
    expect(page.locator("article").last).to_contain_text("<b>peta jabatan</b>")
    expect(page.locator("article").last.locator("blockquote")).to_be_visible()
    _shots(page, screenshot_dir, "thread")
    _logout(page)

    login(page, "fasilitator", DEMO_PASSWORD)
    page.goto("/e-learning/angkatan/")
    page.locator("#elearning-batches tr", has_text="Pengawas").first.get_by_role(
        "link", name="Kemajuan").click()
    expect(page.locator("#behind-count")).to_contain_text("belum selesai")
    _shots(page, screenshot_dir, "batch")
    waiting = page.locator("#resumes-waiting li", has_text="Drs. AP")
    waiting.filter(has_text=Resume.objects.filter(stored__isnull=False).get().module.title
                   ).get_by_role("link", name="Baca").click()
    page.get_by_role("button", name="Terima").click()
    expect(page.locator(".alert-success")).to_contain_text("diterima")
    assert Resume.objects.filter(stored__isnull=False).get().status == "accepted"
