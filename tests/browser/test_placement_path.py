"""Issue 4 in a real browser: the organiser reviews complete files, places the accepted
officials in batches, proposes the topic groups and publishes; the public page then shows
the class lists (name, agency, batch, group; never the NIP)."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from kompeten.actionplans.plans import MilestoneInput, PlanInput, save_action_plan
from kompeten.batching.models import Placement
from kompeten.home.demo import DEMO_PASSWORD
from kompeten.nominations import services as registration_services
from kompeten.programs.models import Agency, Level, Program
from kompeten.programs.services import copy_program, make_current
from kompeten.registration import services as invitations
from kompeten.registration.models import Registration, Status
from kompeten.review import submission
from tests.browser.conftest import login
from tests.factories import complete

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Official:
    agency_code: str
    nip: str
    full_name: str
    topic: str   # the rumpun its action plan is plainly about
    plan: PlanInput


OFFICIALS = [
    Official("KL-05", "197803142005012001", "Dra. Sri Wahyuningsih, M.Si.", "Kinerja", PlanInput(
        title="Penerapan penilaian kinerja berbasis SKP di Biro Kepegawaian",
        background="Penilaian kinerja belum objektif",
        problem="Sasaran kinerja pegawai belum selaras dengan indikator kinerja unit.",
        goals="Menyusun SKP yang terukur\nMemantau capaian kinerja setiap triwulan",
        benefits="Penilaian kinerja lebih objektif")),
    Official("PROV-12", "198106222008011003", "Ir. Agus Setiawan, M.T.", "Pengadaan", PlanInput(
        title="Seleksi CPNS dengan computer assisted test di tingkat provinsi",
        background="Pengadaan pegawai masih manual",
        problem="Rekrutmen dan seleksi calon pegawai belum memakai CAT.",
        goals="Menyelenggarakan seleksi CPNS dengan CAT\nMempercepat pengumuman kelulusan",
        benefits="Rekrutmen transparan")),
    Official("KAB-0101", "197511092001122002", "Hj. Dewi Kartika, S.Sos.",
             "Pengembangan Kompetensi", PlanInput(
        title="Analisis kebutuhan pelatihan dan e-learning bagi pejabat pengawas",
        background="Pelatihan belum sesuai kebutuhan",
        problem="Belum ada analisis kebutuhan pelatihan dan evaluasi pelatihan.",
        goals="Menyusun analisis kebutuhan pelatihan\nMenyelenggarakan e-learning",
        benefits="Pengembangan kompetensi tepat sasaran")),
]
MILESTONES = [
    MilestoneInput("short", "Identifikasi masalah", 2, "week", "Daftar masalah"),
    MilestoneInput("medium", "Menyusun rancangan", 2, "month", "Rancangan"),
    MilestoneInput("long", "Menerapkan dan mengevaluasi", 6, "month", "Laporan evaluasi"),
]


def _submitted_files(program: Program) -> list[Registration]:
    """Three Pengawas officials of three demo agencies, nominated, registered, with a
    complete file and their own action plan, submitted one minute apart."""
    level = Level.objects.get(code="pengawas")
    start = timezone.now() - dt.timedelta(hours=1)
    files = []
    for minute, official in enumerate(OFFICIALS):
        registration = registration_services.nominate(
            program=program, agency=Agency.objects.get(code=official.agency_code), level=level,
            by=None, nominee=registration_services.Nominee(
                nip=official.nip, full_name=official.full_name, position="Kepala Subbagian",
                email=f"{official.nip}@instansi.example", phone="0813-1071-3132"))
        token = invitations.invite(registration=registration)
        invitations.accept_invitation(token=token, password="Kompeten-Uji-2019")
        registration.refresh_from_db()
        complete(registration)
        save_action_plan(registration=registration, plan=official.plan, milestones=MILESTONES)
        files.append(submission.submit_registration(
            registration=registration, now=start + dt.timedelta(minutes=minute)))
    return files


def _logout(page: Page) -> None:
    page.locator("#user-menu").click()
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_load_state()


def _menu(page: Page, menu: str, item: str) -> None:
    page.locator("nav").get_by_role("button", name=menu, exact=True).click()
    page.locator("nav").get_by_role("link", name=item, exact=True).click()


def test_review_place_publish_public_page(page: Page, live_server, settings, screenshot_dir,
                                          current_program):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The menus lead to the current programme's pages. The demo's current programme already
    # has placed participants (e-learning and classroom demo), so the walk runs in a fresh
    # copy of 2019 made current: its batches start empty.
    current_program = copy_program(source=Program.objects.get(code="2019"),
                                   year=current_program.year, code="uji-penempatan")
    make_current(program=current_program)
    files = _submitted_files(current_program)
    public_page = f"/penempatan/pengumuman/{current_program.code}/"
    shot = {"full_page": True}

    # 1. Review: the three files wait in the queue; each one is accepted.
    login(page, "penyelenggara", DEMO_PASSWORD)
    _menu(page, "Peserta", "Review berkas")
    expect(page.locator("h1")).to_contain_text("Review berkas")
    queue = page.locator("#review-queue")
    for registration in files:
        expect(queue).to_contain_text(registration.full_name)
    page.screenshot(path=screenshot_dir / "placement-1-review-queue.png", **shot)
    for registration in files:
        page.locator("#review-queue").get_by_role("link", name=registration.full_name).click()
        expect(page.locator("#plan")).to_contain_text(
            next(o.plan.title for o in OFFICIALS if o.nip == registration.nip))
        page.get_by_label("Diterima").check()
        page.locator("#decision-form button[type=submit]").click()
        expect(page.locator(".alert-success")).to_contain_text(registration.full_name)
        expect(page.locator(".alert-success")).to_contain_text("Diterima")
    expect(page.locator("#review-queue")).to_contain_text("Tidak ada berkas yang menunggu review")
    assert set(Registration.objects.filter(pk__in=[r.pk for r in files])
               .values_list("status", flat=True)) == {Status.ACCEPTED}

    # 2. Automatic placement of the Pengawas level.
    _menu(page, "Penempatan", "Penempatan angkatan")
    expect(page.locator("h1")).to_contain_text("Penempatan angkatan")
    expect(page.locator("main")).to_contain_text("3 peserta diterima belum ditempatkan")
    page.locator("#run-pengawas").click()
    expect(page.locator(".alert-success")).to_contain_text(
        "Pengawas: 3 peserta mendapat angkatan (3 baru, 0 dari daftar tunggu)")
    expect(page.locator("#placement-check-ok")).to_contain_text("3 peserta di angkatan")
    batch_of = dict(Placement.objects.filter(registration__in=files)
                    .values_list("registration_id", "batch__number"))
    # three agencies, so one official in each of the first three Pengawas batches
    assert sorted(batch_of.values()) == [4, 5, 6], batch_of
    # the batches are a paged table: the level filter lists the Pengawas batches
    page.locator("#id_jenjang").select_option("pengawas")
    page.locator("#batch-filter-submit").click()
    for number in (4, 5, 6):
        expect(page.locator(f"#batch-{number}")).to_contain_text("1/30")
    expect(page.locator("#batch-7")).to_contain_text("0/30")
    # a batch on a later page is found by its number
    page.locator("#id_nomor").fill("6")
    page.locator("#batch-filter-submit").click()
    expect(page.locator("#batches tbody tr")).to_have_count(1)
    expect(page.locator("#batch-6")).to_contain_text("Pengawas")
    page.screenshot(path=screenshot_dir / "placement-2-overview.png", **shot)
    page.locator("#id_nomor").fill("4")
    page.locator("#batch-filter-submit").click()
    page.locator("#batch-4").get_by_role("link", name="Angkatan 4", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Angkatan 4 · Pengawas")
    first = next(r for r in files if batch_of[r.pk] == 4)
    roster = page.locator("#roster tbody tr")
    expect(roster).to_have_count(1)
    expect(roster).to_contain_text(first.full_name)
    expect(roster).to_contain_text(first.agency.name)
    # one move form for the page: pick the official, type the batch number, move
    page.locator("#move-to").fill("9")
    page.locator("#move-submit").click()
    expect(page.locator(".alert-danger")).to_contain_text(
        "Pilih dulu peserta yang akan dipindahkan.")
    page.get_by_label(f"Pilih {first.full_name}").check()
    page.locator("#move-to").fill("9")
    page.locator("#move-submit").click()
    expect(page.locator(".alert-success")).to_contain_text(
        f"{first.full_name} dipindahkan ke Angkatan 9, kursi 1.")
    expect(page.locator("#empty-batch")).to_be_visible()
    page.goto(f"/penempatan/angkatan/{Placement.objects.get(registration=first).batch_id}/")
    expect(page.locator("h1")).to_contain_text("Angkatan 9 · Pengawas")
    page.get_by_label(f"Pilih {first.full_name}").check()
    page.locator("#move-to").fill("4")
    page.locator("#move-submit").click()
    expect(page.locator(".alert-success")).to_contain_text(
        f"{first.full_name} dipindahkan ke Angkatan 4, kursi 1.")
    page.screenshot(path=screenshot_dir / "placement-3-batch.png", **shot)

    # 3. Topic groups from the action plans.
    _menu(page, "Penempatan", "Rumpun")
    page.locator("#propose-all").click()
    expect(page.locator(".alert-success")).to_contain_text(
        "Rumpun diusulkan untuk 3 peserta di 3 angkatan")
    topic_of = {r.pk: next(o.topic for o in OFFICIALS if o.nip == r.nip) for r in files}
    assert dict(Placement.objects.filter(registration__in=files)
                .values_list("registration_id", "membership__topic__name")) == topic_of
    expect(page.locator("#batch-heading")).to_contain_text("Angkatan 4")
    expect(page.locator("main")).to_contain_text(topic_of[first.pk])
    page.screenshot(path=screenshot_dir / "placement-4-topics.png", **shot)

    # 4. Not announced yet: an anonymous visitor sees nobody.
    visitor = page.context.browser.new_context(
        base_url=live_server.url, locale="id-ID", extra_http_headers={"Accept-Language": "id"})
    anonymous = visitor.new_page()
    anonymous.goto(public_page)
    expect(anonymous.locator("#not-published")).to_contain_text("belum diumumkan")
    for registration in files:
        expect(anonymous.locator("main")).not_to_contain_text(registration.full_name)
    anonymous.screenshot(path=screenshot_dir / "placement-5-public-before.png", **shot)
    visitor.close()

    # 5. Publish.
    page.get_by_role("link", name="Pengumuman", exact=True).click()
    expect(page.locator("h1")).to_contain_text(
        f"Pengumuman daftar kelas {current_program.year}")
    expect(page.locator("#count-pending")).to_have_text("3")
    page.locator("#publish-button").click()
    page.locator("#publish-confirm").click()
    expect(page.locator(".alert-success")).to_contain_text("Daftar kelas diumumkan: 3 peserta")
    expect(page.locator("#count-pending")).to_have_text("0")
    expect(page.locator("#publish-button")).to_have_count(0)
    page.screenshot(path=screenshot_dir / "placement-6-admin.png", **shot)
    _logout(page)

    # 6. The public page: each official under their batch with agency and group, no NIP.
    page.goto(public_page)
    expect(page.locator("h1")).to_have_text("Pengumuman peserta dan rumpun")
    expect(page.locator("#not-published")).to_have_count(0)
    expect(page.locator("section[id^=angkatan-]")).to_have_count(3)
    for registration in files:
        number = batch_of[registration.pk]
        section = page.locator(f"#angkatan-{number}")
        expect(section.locator("h2")).to_have_text(f"Angkatan {number} — Pengawas")
        row = section.locator("tbody tr")
        expect(row).to_have_count(1)
        expect(row.locator("td").nth(1)).to_have_text(registration.full_name)
        expect(row.locator("td").nth(2)).to_have_text(registration.agency.name)
        expect(row.locator("td").nth(3)).to_have_text(topic_of[registration.pk])
    html = page.content()
    for registration in files:
        assert registration.nip not in html
        assert registration.email not in html
    page.screenshot(path=screenshot_dir / "placement-7-public.png", **shot)
