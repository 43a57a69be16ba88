"""Monev in the browser: a supervisor answers by the e-mailed link on a phone; the
participant (demo login `alumni`) updates the milestones of the action plan. Answers are
saved as the person goes (htmx, per section) and survive a reload."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kompeten.home.demo import DEMO_PASSWORD
from kompeten.home.demo_history import ALUMNI_NIP
from kompeten.monev.models import Audience, Invitation, Item, MilestoneAnswer, Response
from kompeten.monev.tokens import token_for
from tests.browser.conftest import login

PHONE = {"width": 390, "height": 844}
SHOTS = Path(__file__).resolve().parents[2] / "shots"


def _alumni_invitation(audience: str) -> Invitation:
    return (Invitation.objects.filter(registration__nip=ALUMNI_NIP, audience=audience,
                                      revoked_at__isnull=True)
            .select_related("wave").order_by("-wave__opens_on").first())


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_supervisor_answers_by_link_on_a_phone(page: Page, demo):
    invitation = _alumni_invitation(Audience.SUPERVISOR)
    token = token_for(invitation_id=invitation.pk, salt=invitation.token_salt)
    page.set_viewport_size(PHONE)
    page.goto(f"/monev/t/{token}/")
    expect(page.locator("h1")).to_have_text("Monev pascapelatihan: atasan/mentor")
    expect(page.locator("#monev-subject")).to_contain_text("Dra. Sri Mulyani")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    required = list(Item.objects.filter(
        section__questionnaire__program=invitation.wave.program,
        section__questionnaire__audience=Audience.SUPERVISOR, required=True))
    for item in required:
        radios = page.locator(f"input[name='item-{item.pk}']")
        radios.nth(radios.count() - 1).check()
        status = page.locator(f"#saved-{item.section_id}")
        expect(status).to_contain_text("Tersimpan")
    suggestion = Item.objects.get(section__questionnaire__program=invitation.wave.program,
                                  section__questionnaire__audience=Audience.SUPERVISOR,
                                  theme="suggestion")
    page.fill(f"#i{suggestion.pk}", "Libatkan atasan sejak penyusunan RTL.")
    expect(page.locator(f"#saved-{suggestion.section_id}")).to_contain_text("Tersimpan")
    _shot(page, "monev-supervisor-phone")
    page.reload()  # nothing lost
    expect(page.locator(f"#i{suggestion.pk}")).to_have_value(
        "Libatkan atasan sejak penyusunan RTL.")
    page.get_by_role("button", name="Kirim kuesioner").click()
    expect(page.locator("#monev-submitted")).to_be_visible()
    assert Response.objects.get(invitation=invitation).submitted_at is not None
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.django_db(transaction=True)
def test_participant_updates_milestones(page: Page, demo):
    invitation = _alumni_invitation(Audience.PARTICIPANT)
    milestones = list(invitation.registration.action_plan.milestones.order_by("order"))
    login(page, "alumni", DEMO_PASSWORD)
    page.goto("/")
    page.locator("#monev-panel a").first.click()
    expect(page.locator("h1")).to_have_text("Monev pascapelatihan: peserta")
    first, second = milestones[0], milestones[1]
    page.select_option(f"#ms{first.pk}-status", "done")
    expect(page.locator(".monev-saved").filter(has_text="Tersimpan")).to_have_count(1)
    page.fill(f"#ms{second.pk}-percent", "45")
    page.select_option(f"#ms{second.pk}-status", "in_progress")
    page.fill(f"#ms{second.pk}-note", "Draf SOP dibahas dengan biro hukum")
    page.locator(f"#ms{second.pk}-note").blur()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.monev-saved')].some(e => "
        "e.textContent.includes('Tersimpan'))")
    page.wait_for_timeout(1500)  # the last input's delayed save
    _shot(page, "monev-participant-milestones")
    page.reload()
    expect(page.locator(f"#ms{first.pk}-status")).to_have_value("done")
    expect(page.locator(f"#ms{second.pk}-note")).to_have_value(
        "Draf SOP dibahas dengan biro hukum")
    rows = {m.milestone_id: m for m in MilestoneAnswer.objects.filter(
        response__invitation=invitation)}
    assert (rows[first.pk].status, rows[first.pk].percent) == ("done", 100)
    assert (rows[second.pk].status, rows[second.pk].percent) == ("in_progress", 45)


@pytest.mark.django_db(transaction=True)
def test_organiser_sees_waves_with_answers(page: Page, demo):
    login(page, "penyelenggara", DEMO_PASSWORD)
    page.goto("/")
    page.locator("#monev-panel a").first.click()
    expect(page.locator("#wave-table tbody tr").first).to_be_visible()
    _shot(page, "monev-waves")
    page.locator("#wave-table tbody a").first.click()
    expect(page.locator("#invitation-table")).to_contain_text("menjawab")
    _shot(page, "monev-wave")
