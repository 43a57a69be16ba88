"""The written test in a real browser: the assessor opens the session, the participant
starts with the token, loses the connection, answers on, comes back online and finishes
with every answer saved; the assessor closes the session and marks the essays."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kompeten.exam.models import Attempt, AttemptItem
from kompeten.home.demo import DEMO_PASSWORD
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "shots"


def _logout(page: Page) -> None:
    page.locator("#user-menu").click()
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_load_state()


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"exam-{name}.png", full_page=True)


def _choose(page: Page, index: int, option: int = 0) -> None:
    item = page.locator(".exam-item").nth(index)
    item.locator("input[type=radio]").nth(option).check()


def test_offline_answers_are_saved_when_back_online(page: Page):
    login(page, "asesor", DEMO_PASSWORD)
    page.locator("#exam-sessions-panel a", has_text="Angkatan").first.click()
    page.get_by_role("button", name="Buka sesi").click()
    token = page.locator("#token").inner_text().strip()
    _shot(page, "live-open")
    _logout(page)

    login(page, "peserta", DEMO_PASSWORD)
    page.locator("#exam-panel").get_by_role("link", name="Masukkan token").click()
    page.get_by_label("Token ujian").fill(token.lower())
    page.get_by_role("button", name="Mulai ujian").click()
    expect(page.locator("h1")).to_contain_text("Ujian tertulis angkatan")
    items = page.locator(".exam-item")
    kinds = [items.nth(i).get_attribute("data-kind") for i in range(items.count())]
    mc = [i for i, kind in enumerate(kinds) if kind == "mc"]
    essays = [i for i, kind in enumerate(kinds) if kind == "essay"]
    _choose(page, mc[0], 1)
    _choose(page, mc[1], 2)
    expect(page.locator("#overall")).to_have_text("Semua jawaban tersimpan")

    page.context.set_offline(True)
    _choose(page, mc[2], 3)
    _choose(page, mc[0], 0)  # a changed answer while offline
    items.nth(essays[0]).locator("textarea").fill("Analisis jabatan dan beban kerja dulu.")
    items.nth(essays[0]).locator("textarea").blur()
    expect(page.locator("#overall")).to_contain_text("belum tersimpan")
    expect(page.locator(f"#status-{items.nth(mc[2]).get_attribute('data-slot')}")
           ).to_have_text("belum tersimpan")
    _shot(page, "offline")
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#overall")).to_have_text("Semua jawaban tersimpan", timeout=20_000)
    _shot(page, "back-online")

    page.reload()
    expect(items.nth(mc[0]).locator("input[type=radio]").nth(0)).to_be_checked()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Selesai dan kumpulkan").click()
    expect(page.locator("#attempt-closed")).to_be_visible()

    attempt = Attempt.objects.get()
    assert attempt.close_reason == "submitted"
    saved = {item.position - 1: item for item in AttemptItem.objects.filter(attempt=attempt)}
    answered = [i for i, item in saved.items() if item.answered_at]
    assert sorted(answered) == sorted([mc[0], mc[1], mc[2], essays[0]])
    assert saved[mc[0]].choice_id == saved[mc[0]].option_order[0]
    assert saved[mc[1]].choice_id == saved[mc[1]].option_order[2]
    assert saved[mc[2]].choice_id == saved[mc[2]].option_order[3]
    assert saved[essays[0]].text == "Analisis jabatan dan beban kerja dulu."
    _logout(page)

    login(page, "asesor", DEMO_PASSWORD)
    page.locator("#exam-sessions-panel a", has_text="Angkatan").first.click()
    page.get_by_role("link", name="Tutup sesi").click()
    page.get_by_role("button", name="Ya, tutup sesi").click()
    expect(page.locator("h1")).to_contain_text("Penilaian esai")
    page.get_by_label("Skor (0–10)").first.fill("8")
    page.get_by_role("button", name="Simpan skor").first.click()
    expect(page.locator(".alert-success")).to_contain_text("Skor disimpan")
    _shot(page, "marking")
    page.get_by_role("link", name="Skor per unit").first.click()
    expect(page.locator("#results")).to_contain_text("dinilai")
    _shot(page, "results")
