"""Assessment in a real browser, on the demo batch: the participant gives the
self-assessment and consent, the assessor decides all units, the sidang locks the batch, the
participant appeals a BK and the panel decides it."""

import pytest
from playwright.sync_api import Page, expect

from kompeten.assessment.models import Appeal, Decision, Sidang
from kompeten.batching.models import Placement
from kompeten.home.demo import DEMO_PASSWORD
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def _logout(page: Page) -> None:
    page.locator("#user-menu").click()
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_load_state()


def test_decide_all_units_sidang_appeal_and_panel(page: Page, screenshot_dir):
    placement = Placement.objects.select_related("registration", "batch").get(
        registration__user__username="peserta", registration__program__is_current=True)
    registration, batch = placement.registration, placement.batch
    units = list(registration.qualification.units.order_by("order"))

    login(page, "peserta", DEMO_PASSWORD)
    page.goto("/asesmen/saya/")
    page.locator(f"#sa-{units[0].pk}-yes").check()
    page.fill(f"#sa-{units[0].pk}-evidence", "SK tim penataan arsip kepegawaian")
    page.locator("#save-self-assessment").click()
    page.locator("#give-consent").click()
    expect(page.locator("#consent-given")).to_be_visible()
    page.screenshot(path=screenshot_dir / "assessment-participant-before-1280.png",
                    full_page=True)
    _logout(page)

    login(page, "asesor", DEMO_PASSWORD)
    page.goto("/asesmen/asesor/")
    page.get_by_role("link", name=registration.full_name).click()
    expect(page.locator("h1")).to_contain_text(registration.full_name)
    expect(page.locator(f"#unit-{units[0].pk}")).to_contain_text("SK tim penataan arsip")
    for unit in units:
        card = page.locator(f"#unit-{unit.pk}")
        card.locator(f"#v-{unit.pk}-{'bk' if unit == units[0] else 'k'}").check()
        card.locator(f"#note-{unit.pk}").fill(f"Pengamatan unit {unit.order}")
        card.get_by_role("button", name="Simpan dan tandatangani").click()
        expect(page.locator(f"#unit-{unit.pk}")).to_contain_text("ditandatangani")
    assert Decision.objects.filter(registration=registration, signed_at__isnull=False
                                   ).count() == len(units)
    page.locator(f"#unit-{units[0].pk}").scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "assessment-decision-page-1280.png", full_page=True)
    _logout(page)

    login(page, "penyelenggara", DEMO_PASSWORD)
    page.goto(f"/asesmen/angkatan/{batch.pk}/")
    page.fill("#id_decree_number", "SK-17/PUSBANG-ASN/2026")
    page.fill("#id_panel_members", "Dr. AST, MA.\nDr. RS, M.Psi.")
    page.locator("#hold-sidang").click()
    expect(page.locator("#sidang-done")).to_contain_text("SK-17/PUSBANG-ASN/2026")
    expect(page.locator("#auto-assign")).to_have_count(0)
    assert Sidang.objects.filter(batch=batch).exists()
    page.screenshot(path=screenshot_dir / "assessment-batch-1280.png", full_page=True)
    _logout(page)

    login(page, "peserta", DEMO_PASSWORD)
    page.goto("/asesmen/saya/")
    expect(page.locator("#my-results")).to_contain_text("BK")
    page.fill(f"#appeal-{units[0].pk}", "Bukti SK tim belum dipertimbangkan asesor.")
    page.get_by_role("button", name="Ajukan banding").click()
    expect(page.locator("#my-results")).to_contain_text("menunggu putusan panel")
    _logout(page)

    login(page, "asesor2", DEMO_PASSWORD)
    page.goto("/asesmen/asesor/")
    page.locator("#panel-appeals a").first.click()
    page.locator("#panel-k").check()
    page.fill("#id_note", "SK tim membuktikan penerapan unit ini.")
    page.locator("#decide-appeal").click()
    expect(page.locator("#appeal-decided")).to_contain_text("K")
    assert Appeal.objects.get(registration=registration).outcome == "K"
    _logout(page)

    login(page, "peserta", DEMO_PASSWORD)
    page.goto("/asesmen/saya/")
    expect(page.locator("#my-results")).to_contain_text("Diputus panel: K")
    page.screenshot(path=screenshot_dir / "assessment-participant-results-1280.png",
                    full_page=True)
