"""The classroom days in a real browser: the participant checks in by opening the address
the QR code encodes; the facilitator marks the roll on a phone, through a lost connection."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from kompeten.batching.models import Placement
from kompeten.classroom.attendance_models import AttendanceMark
from kompeten.classroom.session_models import ClassSession, SessionAssignment
from kompeten.home.demo import DEMO_PASSWORD
from tests import factories
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def _session_now() -> ClassSession:
    """The demo participant's first session, moved to run right now."""
    placement = Placement.objects.select_related("batch").get(
        registration__user__username="peserta")
    session = ClassSession.objects.filter(batch=placement.batch).order_by("starts_at").first()
    now = timezone.now()
    ClassSession.objects.filter(pk=session.pk).update(
        starts_at=now - dt.timedelta(minutes=5), ends_at=now + dt.timedelta(hours=2))
    SessionAssignment.objects.filter(session=session).update(
        starts_at=now - dt.timedelta(minutes=5), ends_at=now + dt.timedelta(hours=2))
    session.refresh_from_db()
    return session


def _logout(page: Page) -> None:
    page.locator("#user-menu").click()
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_load_state()


def test_participant_checks_in_by_scanning(page: Page, screenshot_dir):
    session = _session_now()
    login(page, "fasilitator", DEMO_PASSWORD)
    expect(page.locator("#my-sessions")).to_contain_text(session.title)
    page.screenshot(path=screenshot_dir / "classroom-facilitator-home-1280.png", full_page=True)
    page.goto(f"/kelas/sesi/{session.pk}/layar/")
    expect(page.locator("#qr svg")).to_be_visible()
    page.screenshot(path=screenshot_dir / "classroom-qr-screen-1280.png", full_page=True)
    scanned = page.locator("#checkin-url").text_content().strip()
    _logout(page)

    login(page, "peserta", DEMO_PASSWORD)
    expect(page.locator("#my-classroom")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(scanned)
    page.locator("#checkin-confirm").click()
    expect(page.locator("#checkin-done")).to_contain_text("Hadir")
    page.screenshot(path=screenshot_dir / "classroom-checkin-390.png", full_page=True)
    page.goto(scanned)
    page.locator("#checkin-confirm").click()
    expect(page.locator("#checkin-done")).to_contain_text("sudah tercatat")
    assert AttendanceMark.objects.filter(session=session).count() == 1
    # another session's code in this session's address is refused, nothing stored
    other = ClassSession.objects.filter(batch=session.batch).exclude(pk=session.pk).first()
    page.goto(scanned.replace(f"/hadir/{session.pk}/", f"/hadir/{other.pk}/"))
    expect(page.locator("#checkin-error")).to_contain_text("bukan untuk sesi ini")
    assert not AttendanceMark.objects.filter(session=other).exists()


def test_facilitator_marks_the_roll_on_a_phone(browser: Browser, live_server, demo,
                                               screenshot_dir):
    session = _session_now()
    others = factories.fill_batch(batch=session.batch, agency=factories.agency(),
                                  plans=[None, None], first_seat=40)
    context = browser.new_context(base_url=live_server.url, locale="id-ID",
                                  viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, extra_http_headers={"Accept-Language": "id"})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, "fasilitator", DEMO_PASSWORD)
    page.goto(f"/kelas/sesi/{session.pk}/presensi/")
    first, second = (page.locator(f'[data-registration="{p.registration_id}"]')
                     for p in others)
    first.get_by_role("button", name="Hadir", exact=True).click()
    expect(first.locator(".mark-state")).to_have_text("tersimpan")
    # the connection drops: marks wait in the queue, then go out once it returns
    context.set_offline(True)
    second.get_by_role("button", name="Izin").click()
    second.locator("input[name=reason]").fill("Sakit, surat dokter")
    second.get_by_role("button", name="Izin").click()
    first.get_by_role("button", name="Terlambat").click()
    expect(page.locator("#pending-count")).to_have_text("2")
    page.screenshot(path=screenshot_dir / "classroom-rollcall-offline-390.png", full_page=True)
    context.set_offline(False)
    expect(page.locator("#pending-count")).to_have_text("0", timeout=15_000)
    expect(second.locator(".mark-state")).to_have_text("tersimpan")
    marks = {m.registration_id: m for m in AttendanceMark.objects.filter(session=session)}
    assert marks[others[0].registration_id].status == "late"
    assert (marks[others[1].registration_id].status,
            marks[others[1].registration_id].reason) == ("excused", "Sakit, surat dokter")
    assert len(marks) == 2
    page.reload()
    expect(page.locator("#pending-count")).to_have_text("0")
    context.close()
    assert not errors, errors


def test_organiser_pages_screenshots(page: Page, screenshot_dir):
    session = _session_now()
    login(page, "penyelenggara", DEMO_PASSWORD)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/kelas/angkatan/{session.batch_id}/sesi/")
        expect(page.locator(f"#session-{session.pk}")).to_be_visible()
        page.screenshot(path=screenshot_dir / f"classroom-sessions-{width}.png", full_page=True)
        page.goto(f"/kelas/angkatan/{session.batch_id}/kehadiran/")
        expect(page.locator("#attendance-table")).to_be_visible()
        page.screenshot(path=screenshot_dir / f"classroom-attendance-{width}.png",
                        full_page=True)


def test_participant_acknowledges_the_rules_before_day_one(page: Page, screenshot_dir):
    login(page, "peserta", DEMO_PASSWORD)
    panel = page.locator("#my-classroom")
    panel.locator("#conduct-link").click()
    expect(page.locator("h1")).to_have_text("Tata tertib peserta")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=screenshot_dir / "classroom-conduct-390.png", full_page=True)
    page.get_by_label("Saya telah membaca dan akan menaati tata tertib di atas.").check()
    page.locator("#acknowledge").click()
    expect(page.locator("#conduct-acknowledged")).to_be_visible()
    page.goto("/")
    expect(page.locator("#my-classroom")).to_contain_text("Tata tertib telah Anda setujui")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=screenshot_dir / "classroom-participant-home-1280.png",
                    full_page=True)


def test_participant_evaluates_on_the_last_day(page: Page, screenshot_dir):
    from kompeten.classroom.evaluation import results
    from kompeten.programs.models import Batch

    batch = Placement.objects.get(registration__user__username="peserta").batch
    today = timezone.localdate()
    Batch.objects.filter(pk=batch.pk).update(start_date=today - dt.timedelta(days=1),
                                             end_date=today)
    login(page, "peserta", DEMO_PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/kelas/evaluasi/")
    groups = page.locator("fieldset")
    count = groups.count()
    assert count == 5  # four lesson sessions taught by the demo facilitator + organisation
    for index in range(count):
        groups.nth(index).locator("label.btn").nth(3).click()  # 4
    groups.nth(0).locator("textarea").fill("Materi jelas, contoh relevan.")
    page.screenshot(path=screenshot_dir / "classroom-evaluation-390.png", full_page=True)
    page.locator("#evaluation-submit").click()
    expect(page.locator("#evaluation-done")).to_be_visible()
    submitted, rows = results(Batch.objects.get(pk=batch.pk))
    assert submitted == 1
    assert {r.label: r.count for r in rows} == {"Dr. NH": 4, "Penyelenggaraan": 1}
