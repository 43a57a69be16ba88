"""The whole registration path in a real browser, as the people involved would walk it:
operator nominates → invitation e-mail → official registers, uploads, writes the action
plan → organiser sees the file complete."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core import mail
from PIL import Image
from playwright.sync_api import Page, expect

from kompeten.home.demo import DEMO_PASSWORD
from kompeten.programs.models import StageKind
from kompeten.registration.models import Registration
from tests.browser.conftest import HOME_HEADINGS, login
from tests.upload_samples import pdf_bytes

pytestmark = pytest.mark.browser

NIP = "198503152010011002"  # born 15-03-1985, CPNS January 2010, male: not in the demo
FULL_NAME = "Dr. Hendra Gunawan, S.E., M.M."
EMAIL = "hendra.gunawan@jabarprov.example"
PASSWORD = "Kompeten-Hendra-85"
MENTOR_NIP = "197005121995032001"


def _logout(page: Page) -> None:
    page.locator("#user-menu").click()
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_load_state()


def _funnel_complete(page: Page, level: str) -> int:
    """The "Berkas lengkap" number of one level on the organiser's home page."""
    expect(page.locator("#funnel thead th").last).to_have_text("Berkas lengkap")
    row = page.locator("#funnel tbody tr").filter(has=page.get_by_role("rowheader", name=level))
    return int(row.locator("td").last.inner_text())


def _files(folder: Path) -> dict[str, Path]:
    """Small valid uploads: one-page PDFs and an upright red passport photo."""
    pdf = pdf_bytes()
    files = {}
    for kind, name in (("sp", "sp-pelatihan.pdf"), ("bpjs", "kartu-bpjs.pdf"),
                       ("portfolio", "portofolio.pdf")):
        files[kind] = folder / name
        files[kind].write_bytes(pdf)
    files["photo"] = folder / "pas-foto.png"
    Image.new("RGB", (300, 400), (200, 0, 0)).save(files["photo"])
    return files


def _fill_milestone(page: Page, row: int, horizon: str, activity: str, value: int, unit: str,
                    output: str) -> None:
    prefix = f"#id_langkah-{row}-"
    page.select_option(prefix + "horizon", horizon)
    page.fill(prefix + "activity", activity)
    page.fill(prefix + "duration_value", str(value))
    page.select_option(prefix + "duration_unit", unit)
    page.fill(prefix + "output", output)


def test_nomination_to_complete_file(page: Page, live_server, settings, tmp_path,
                                     screenshot_dir, current_program):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = live_server.url  # the link in the e-mail points at this server
    mail.outbox = []
    shot = {"full_page": True}

    # 1. The agency operator nominates an official.
    login(page, "operator", DEMO_PASSWORD)
    expect(page.locator("h1")).to_have_text(HOME_HEADINGS["operator"])
    page.locator("nav").get_by_role("button", name="Peserta", exact=True).click()
    page.locator("nav").get_by_role("link", name="Usulan peserta", exact=True).click()
    expect(page.locator("h1")).to_contain_text("BKD Provinsi Jawa Barat")
    page.get_by_role("link", name="Usulkan peserta").click()
    expect(page.locator("h1")).to_have_text("Usulkan peserta")
    page.locator("#id_level").select_option(label="Pengawas")
    page.locator("#id_nip").fill(NIP)
    page.locator("#id_full_name").fill(FULL_NAME)
    page.locator("#id_position").fill("Kepala Subbidang Pengembangan Kompetensi")
    page.locator("#id_work_unit").fill("Bidang Pengembangan Aparatur")
    page.locator("#id_email").fill(EMAIL)
    page.locator("#id_phone").fill("0813-1071-3132")
    page.screenshot(path=screenshot_dir / "registration-1-nominate.png", **shot)
    # The demo's current programme is in its registration week: its nomination stage is
    # over, so the operator is turned away and nothing is saved ...
    page.get_by_role("button", name="Simpan usulan").click()
    expect(page.locator(".alert-danger")).to_contain_text("Masa usulan peserta")
    assert not Registration.objects.filter(program=current_program, nip=NIP).exists()
    # ... until the stage is open again (as tests/conftest.py keeps it open for 2019).
    current_program.stages.filter(kind=StageKind.NOMINATION).update(
        end_date=dt.date(2100, 12, 31))
    page.get_by_role("button", name="Simpan usulan").click()
    expect(page.locator(".alert-success")).to_contain_text(
        f"{FULL_NAME} diusulkan untuk jenjang Pengawas")
    row = page.locator("#nomination-table tbody tr").filter(has_text=NIP)
    expect(row).to_contain_text(FULL_NAME)
    expect(row).to_contain_text("Diusulkan")
    _logout(page)

    # 2. The organiser accepts the nomination and invites the official.
    login(page, "penyelenggara", DEMO_PASSWORD)
    expect(page.locator("h1")).to_have_text(HOME_HEADINGS["organiser"])
    complete_before = _funnel_complete(page, "Pengawas")
    page.locator("nav").get_by_role("button", name="Peserta", exact=True).click()
    page.locator("nav").get_by_role("link", name="Usulan peserta", exact=True).click()
    page.get_by_label("Cari nama atau NIP").fill(NIP)
    page.get_by_role("button", name="Saring").click()
    page.locator("#nomination-table").get_by_role("link", name=FULL_NAME).click()
    expect(page.locator("h1")).to_have_text(FULL_NAME)
    expect(page.locator("#status")).to_have_text("Diusulkan")
    page.get_by_role("button", name="Terima dan undang").click()
    expect(page.locator(".alert-success")).to_contain_text(f"Undangan dikirim ke {EMAIL}")
    expect(page.locator("#status")).to_have_text("Diundang")
    _logout(page)

    invitations = [m for m in mail.outbox if m.to == [EMAIL]]
    assert len(invitations) == 1, [m.subject for m in mail.outbox]
    body = invitations[0].body
    assert body.startswith(f"Yth. {FULL_NAME},")
    link = re.search(r"^(http\S+/undangan/\S+/)$", body, re.MULTILINE)
    assert link, body
    assert link.group(1).startswith(live_server.url)

    # 3. The official opens the link, sets a password and agrees.
    page.goto(link.group(1))
    expect(page.locator("h1")).to_have_text("Konfirmasi undangan")
    expect(page.locator("main")).to_contain_text(NIP)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("#id_agree").check()
    page.get_by_role("button", name="Konfirmasi dan buat akun").click()
    expect(page.locator("h1")).to_have_text("Pendaftaran saya")
    expect(page.locator(".alert-success")).to_contain_text(f"nama pengguna Anda adalah NIP {NIP}")
    expect(page.locator("#status")).to_have_text("Terdaftar")
    expect(page.locator("#checklist [data-done='0']")).to_have_count(7)
    page.screenshot(path=screenshot_dir / "registration-3-registered.png", **shot)

    # 4a. Profile with mentor.
    page.get_by_role("link", name="Profil dan mentor/atasan langsung").click()
    expect(page.locator("h1")).to_have_text("Profil peserta")
    expect(page.locator("#id_phone")).to_have_value("+6281310713132")
    page.locator("#id_mentor_name").fill("Ir. Bambang Sutrisno, M.T.")
    page.locator("#id_mentor_nip").fill(MENTOR_NIP)
    page.locator("#id_mentor_position").fill("Kepala Bidang Pengembangan Aparatur")
    page.locator("#id_mentor_email").fill("bambang.sutrisno@jabarprov.example")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("Profil tersimpan.")
    expect(page.locator("#checklist [data-key='profile']")).to_have_attribute("data-done", "1")

    # 4b. One position in the work history.
    page.get_by_role("link", name="Riwayat pekerjaan").click()
    expect(page.locator("h1")).to_have_text("Riwayat pekerjaan")
    page.locator("#id_position").fill("Kepala Subbidang Pengembangan Kompetensi")
    page.locator("#id_unit").fill("Bidang Pengembangan Aparatur, BKD Provinsi Jawa Barat")
    page.locator("#id_start_date").fill("2016-01-04")
    page.locator("#id_duties").fill("Menyusun rencana pengembangan kompetensi ASN.")
    page.get_by_role("button", name="Tambahkan").click()
    expect(page.locator("#work-history")).to_contain_text(
        "Kepala Subbidang Pengembangan Kompetensi")
    expect(page.locator("#work-history")).to_contain_text("sekarang")

    # 4c. The four required documents.
    page.locator(".breadcrumb").get_by_role("link", name="Pendaftaran saya").click()
    page.get_by_role("link", name="Dokumen persyaratan").click()
    expect(page.locator("h1")).to_have_text("Dokumen persyaratan")
    for kind, path in _files(tmp_path).items():
        card = page.locator(f"#doc-{kind}")
        card.locator(f"#id_{kind}_file").set_input_files(path)
        card.get_by_role("button", name="Unggah").click()
        expect(page.locator(".alert-success")).to_contain_text(f"tersimpan: {path.name}")
        expect(page.locator(f"#doc-{kind}")).to_have_attribute("data-done", "1")
    expect(page.locator("#document-checklist [data-done='0']")).to_have_count(0)
    page.screenshot(path=screenshot_dir / "registration-4-documents.png", **shot)

    # 4d. The action plan: one or more milestones per horizon, one row added on the way.
    page.locator(".breadcrumb").get_by_role("link", name="Pendaftaran saya").click()
    page.get_by_role("link", name="Rencana tindak lanjut").click()
    page.get_by_role("link", name="Susun rencana").click()
    expect(page.locator("h1")).to_have_text("Susun rencana tindak lanjut")
    page.locator("#id_title").fill("Pemetaan kompetensi pejabat pengawas Provinsi Jawa Barat")
    page.locator("#id_background").fill(
        "Data kompetensi pengawas belum lengkap\nRencana pengembangan belum berbasis data")
    page.locator("#id_problem").fill("Belum ada peta kompetensi pengawas.")
    page.locator("#id_goals").fill("Tersusunnya peta kompetensi pengawas")
    page.locator("#id_benefits").fill("Pengembangan kompetensi tepat sasaran")
    _fill_milestone(page, 0, "short", "Menyusun instrumen pemetaan", 3, "week",
                    "Instrumen pemetaan")
    _fill_milestone(page, 1, "short", "Sosialisasi kepada perangkat daerah", 10, "day",
                    "Berita acara sosialisasi")
    _fill_milestone(page, 2, "medium", "Pemetaan kompetensi pengawas", 2, "month",
                    "Data hasil pemetaan")
    _fill_milestone(page, 3, "long", "Menyusun rencana pengembangan", 3, "month",
                    "Dokumen rencana pengembangan")
    expect(page.locator("#rtl-form fieldset[id^=row-]")).to_have_count(4)
    page.get_by_role("button", name="Tambah baris").click()
    expect(page.locator("#rtl-form fieldset[id^=row-]")).to_have_count(5)
    expect(page.locator("#id_langkah-3-activity")).to_have_value("Menyusun rencana pengembangan")
    expect(page.locator("#id_title")).to_have_value(
        "Pemetaan kompetensi pejabat pengawas Provinsi Jawa Barat")
    _fill_milestone(page, 4, "long", "Evaluasi pelaksanaan rencana", 4, "week",
                    "Laporan evaluasi")
    page.get_by_role("button", name="Simpan rencana").click()
    expect(page.locator(".alert-success")).to_contain_text("Rencana tindak lanjut tersimpan.")
    gantt = page.locator("#rtl-gantt")
    expect(gantt).to_be_visible()
    expect(gantt.locator("tbody tr")).to_have_count(5)
    for horizon in ("short", "medium", "long"):
        expect(gantt.locator(f"tbody tr[data-horizon={horizon}]").first).to_be_visible()
    expect(gantt.locator("td.gantt-on").first).to_be_visible()
    page.screenshot(path=screenshot_dir / "registration-4-action-plan.png", **shot)

    # 4e. Everything on the checklist is done; submit.
    page.locator(".breadcrumb").get_by_role("link", name="Pendaftaran saya").click()
    expect(page.locator("#checklist li")).to_have_count(8)
    expect(page.locator("#checklist [data-done='0']")).to_have_count(0)
    page.get_by_role("button", name="Kirim pendaftaran untuk direview").click()
    expect(page.locator(".alert-success.alert-dismissible")).to_contain_text(
        "dikirim untuk direview")
    expect(page.get_by_role("status")).to_contain_text("Pendaftaran Anda lengkap dan terkirim")
    expect(page.get_by_role("button", name="Kirim pendaftaran untuk direview")).to_have_count(0)
    expect(page.locator("#status")).to_have_text("Berkas lengkap")
    page.screenshot(path=screenshot_dir / "registration-4-submitted.png", **shot)
    _logout(page)

    # The new account signs in again with the NIP as user name.
    login(page, NIP, PASSWORD)
    expect(page.locator("h1")).to_have_text(HOME_HEADINGS["participant"])
    _logout(page)

    # 5. The organiser sees one more complete Pengawas file, and the row says "Lengkap".
    login(page, "penyelenggara", DEMO_PASSWORD)
    assert _funnel_complete(page, "Pengawas") == complete_before + 1
    page.screenshot(path=screenshot_dir / "registration-5-organiser-home.png", **shot)
    page.locator("nav").get_by_role("button", name="Peserta", exact=True).click()
    page.locator("nav").get_by_role("link", name="Usulan peserta", exact=True).click()
    page.get_by_label("Cari nama atau NIP").fill(NIP)
    page.get_by_role("button", name="Saring").click()
    row = page.locator("#nomination-table tbody tr").filter(has_text=NIP)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Berkas lengkap")
    expect(row.locator(".badge")).to_have_text("Lengkap")
    page.screenshot(path=screenshot_dir / "registration-5-nomination-list.png", **shot)
