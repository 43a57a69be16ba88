"""Announcement letters without HTTP: wording, numbering, PDF, send jobs and e-mails."""

import csv
import datetime as dt
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kompeten.accounts.models import Role
from kompeten.letters import content, pdf, selectors, services, wording
from kompeten.letters.models import (
    AnnouncementLetter,
    JobStatus,
    LetterStatus,
    SendJob,
    SendScope,
)
from kompeten.programs.models import Agency, AgencyKind
from tests.conftest import make_user

SCHEDULE_CSV = Path(__file__).resolve().parent.parent / "kompeten/programs/data/jadwal-2019.csv"


# -- wording ---------------------------------------------------------------------------------

def test_date_ranges_match_the_2019_schedule_attachment():
    with SCHEDULE_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 50
    for row in rows:
        start = dt.date.fromisoformat(row["tanggal_mulai"])
        end = dt.date.fromisoformat(row["tanggal_selesai"])
        assert wording.date_range(start, end) == row["tanggal_asli"]


def test_dates_numbers_and_lists_in_indonesian():
    assert wording.long_date(dt.date(2019, 3, 24)) == "24 Maret 2019"
    assert wording.date_range(dt.date(2019, 7, 31), dt.date(2019, 8, 1)) == "31 Jul-1 Ags"
    assert wording.date_range(dt.date(2019, 5, 6), dt.date(2019, 5, 6)) == "6 Mei"
    assert wording.roman_month(dt.date(2019, 3, 1)) == "III"
    assert wording.roman_month(dt.date(2019, 12, 1)) == "XII"
    assert [wording.in_words(n) for n in (0, 1, 2, 10, 11, 12, 19, 21, 100, 115, 1000, 1500,
                                          2019, 250000)] == [
        "nol", "satu", "dua", "sepuluh", "sebelas", "dua belas", "sembilan belas",
        "dua puluh satu", "seratus", "seratus lima belas", "seribu", "seribu lima ratus",
        "dua ribu sembilan belas", "dua ratus lima puluh ribu"]
    assert wording.counted(2) == "2 (dua)"
    assert wording.joined(["JPT Pratama", "Administrator", "Pengawas"]) == \
        "JPT Pratama, Administrator dan Pengawas"
    assert wording.paragraphs("satu\ndua\n\n\ntiga\n") == ["satu dua", "tiga"]


@pytest.mark.parametrize(("text", "message"), [
    ("{nomor}/A/TU/{year}", "Penanda tidak dikenal: {nomor}"),
    ("A/TU/{year}", "Penanda {seq} wajib ada"),
    ("{seq/A/TU", "Kurung kurawal"),
    ("{seq:xyz}/A", "tidak dapat diisi"),
])
def test_bad_number_formats_get_a_clear_message(text, message):
    from kompeten.letters import defaults

    with pytest.raises(ValidationError) as exc:
        wording.check_placeholders(text, defaults.NUMBER_PLACEHOLDERS, required=["seq"])
    assert message in exc.value.messages[0]


def test_number_format_with_placeholders():
    number = content.letter_number(number_format="{seq}/A/TU/Pusbang ASN/{month_roman}/{year}",
                                   seq=195, date=dt.date(2019, 3, 24))
    assert number == "195/A/TU/Pusbang ASN/III/2019"
    assert content.letter_number(number_format="{seq:03d}/B/{month}/{year}", seq=7,
                                 date=dt.date(2019, 11, 2)) == "007/B/11/2019"
    draft = content.letter_number(number_format="{seq}/A/{year}", seq=None,
                                  date=dt.date(2019, 3, 24))
    assert draft.endswith("/A/2019") and draft.startswith("\u00a0")


# -- numbering --------------------------------------------------------------------------------

@pytest.fixture
def agencies(db, agency_a, agency_b):
    no_email = Agency.objects.create(code="KL-09", name="Kementerian Tanpa Surel",
                                     kind=AgencyKind.KL_PUSAT, email="")
    return [agency_a, agency_b, no_email]


def test_settings_default_to_the_2019_letter(program):
    letter_settings = services.ensure_settings(program=program)
    assert letter_settings.letter_date == dt.date(2019, 4, 5)  # the programme's first stage
    assert letter_settings.place == "Bogor"
    assert len(wording.lines(letter_settings.notes)) == 4
    assert services.ensure_settings(program=program).pk == letter_settings.pk


def test_numbers_are_consecutive_unique_and_assigned_once(program, agencies):
    letter_settings = services.ensure_settings(program=program)
    letter_settings.next_seq = 195
    letter_settings.save()
    first = services.issue_letters(program=program, agencies=agencies)
    numbers = sorted(letter.number for letter in first.values())
    assert numbers == ["195/A/TU/Pusbang ASN/IV/2019", "196/A/TU/Pusbang ASN/IV/2019",
                       "197/A/TU/Pusbang ASN/IV/2019"]
    again = services.issue_letters(program=program, agencies=agencies)
    assert {a: letter.number for a, letter in again.items()} == \
        {a: letter.number for a, letter in first.items()}
    assert AnnouncementLetter.objects.count() == 3
    letter_settings.refresh_from_db()
    assert letter_settings.next_seq == 198


def test_the_database_refuses_a_second_letter_or_number(program, agency_a, agency_b):
    letter = services.issue_letters(program=program, agencies=[agency_a])[agency_a.pk]
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnouncementLetter.objects.create(program=program, agency=agency_a, seq=99,
                                          number="99/X", date=letter.date)
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnouncementLetter.objects.create(program=program, agency=agency_b, seq=98,
                                          number=letter.number, date=letter.date)


def test_next_seq_cannot_go_back_to_a_used_number(program, agencies, users):
    services.issue_letters(program=program, agencies=agencies[:2])  # seq 1 and 2
    letter_settings = services.ensure_settings(program=program)
    with pytest.raises(ValidationError) as exc:
        services.update_settings(letter_settings=letter_settings, changes={"next_seq": 2},
                                 by=users[Role.ORGANISER])
    assert "minimal 3" in exc.value.message_dict["next_seq"][0]
    services.update_settings(letter_settings=letter_settings,
                             changes={"next_seq": 40, "number_format": "{seq}/B/{year}"},
                             by=users[Role.ORGANISER])
    third = services.issue_letters(program=program, agencies=agencies[2:])
    assert third[agencies[2].pk].number == "40/B/2019"


# -- content and PDF ---------------------------------------------------------------------------

def test_addressee_depends_on_the_agency_kind(program, agency_a):
    letter_settings = services.ensure_settings(program=program)
    ministry = Agency(name="Kementerian Keuangan", kind=AgencyKind.KL_PUSAT)
    assert content.addressee(letter_settings=letter_settings, agency=agency_a) == \
        "Kepala BKD Provinsi Aceh"
    assert content.addressee(letter_settings=letter_settings, agency=ministry) == \
        "Kepala Biro Kepegawaian/SDM Kementerian Keuangan"


def test_letter_content_fills_the_programme_facts(program, agency_a):
    letter_settings = services.ensure_settings(program=program)
    facts = content.program_facts(program=program)
    letter = content.draft(letter_settings=letter_settings, facts=facts, agency=agency_a)
    assert "bagi 1500 pengelola kepegawaian JPT Pratama, Administrator dan Pengawas selama " \
           "2 (dua) hari" in letter.body[0]
    assert "terbagi atas 50 angkatan" in letter.body[0]
    assert not any("{" in paragraph for paragraph in letter.body)
    assert len(letter.schedule) == 50
    assert letter.schedule[24].name == \
        "Pelatihan Teknis Kepegawaian dan Sertifikasi Akt 25 (Administrator)"
    assert letter.schedule[24].dates == "31 Jul-1 Ags"
    assert letter.tembusan == ("Kepala BKN, sebagai Laporan;", "Sekretaris Utama BKN.")


def test_pdf_is_a4_with_the_number_and_the_schedule(program, agency_a):
    letter = services.issue_letters(program=program, agencies=[agency_a])[agency_a.pk]
    letter_content = content.compose(
        letter_settings=services.ensure_settings(program=program),
        facts=content.program_facts(program=program), agency=agency_a, number=letter.number,
        date=letter.date)
    data = pdf.render_letter(letter_content, compress=False)
    assert data.startswith(b"%PDF")
    assert f"({letter.number})".encode() in data
    for text in ("BADAN KEPEGAWAIAN NEGARA", "PUSAT PENGEMBANGAN APARATUR SIPIL NEGARA",
                 "Kepala BKD Provinsi Aceh", "NIP. 196102121985091001", "Tembusan Kepada Yth:",
                 "Catatan:", "JADWAL PELATIHAN DAN SERTIFIKASI MANAJEMEN KEPEGAWAIAN 2019",
                 "Lampiran I Surat Kepala Pusat Pengembangan ASN", "31 Jul-1 Ags"):
        assert text.encode() in data, text
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in data
    assert data.count(b"/Type /Page\n") >= 3  # letter + schedule over two pages
    assert pdf.render_letter(letter_content).startswith(b"%PDF")


def test_pdf_falls_back_to_dejavu_for_characters_times_lacks(program):
    agency = Agency.objects.create(code="KAB-X", name="BKPSDM Kabupaten Ŋgada", email="",
                                   kind=AgencyKind.REGENCY_CITY, province="Nusa Tenggara Timur")
    letter_content = content.draft(letter_settings=services.ensure_settings(program=program),
                                   facts=content.program_facts(program=program), agency=agency)
    data = pdf.render_letter(letter_content)
    assert data.startswith(b"%PDF") and b"DejaVuSerif" in data


# -- sending ----------------------------------------------------------------------------------

def _start(program, user, django_capture_on_commit_callbacks, scope=SendScope.UNSENT):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_send_job(program=program, by=user, scope=scope)
    job.refresh_from_db()
    return job


def test_send_job_emails_each_agency_and_records_failures(
        program, agencies, users, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://kompeten.example"
    job = _start(program, users[Role.ORGANISER], django_capture_on_commit_callbacks)
    assert (job.status, job.total, job.sent, job.failed) == (JobStatus.FINISHED, 3, 2, 1)
    assert job.started_at and job.finished_at
    assert sorted(m.to[0] for m in mail.outbox) == ["bkd@aceh.example", "bkd@bali.example"]
    message = next(m for m in mail.outbox if m.to == ["bkd@aceh.example"])
    letter = AnnouncementLetter.objects.get(agency=agencies[0])
    assert letter.number in message.subject
    assert "https://kompeten.example/usulan/tambah/" in message.body
    assert "Kepala BKD Provinsi Aceh" in message.body
    (name, attachment, mimetype), = message.attachments
    assert name == "surat-pemberitahuan-2019-PROV-01.pdf"
    assert mimetype == "application/pdf" and attachment.startswith(b"%PDF")
    assert (letter.status, letter.attempts, letter.sent_to) == (LetterStatus.SENT, 1,
                                                                "bkd@aceh.example")
    assert letter.sent_at is not None and letter.job_id == job.pk
    with letter.pdf.open("rb") as stored:
        assert stored.read() == attachment
    failed = AnnouncementLetter.objects.get(agency=agencies[2])
    assert failed.status == LetterStatus.FAILED
    assert "e-mail kontak" in failed.error and failed.sent_at is None
    assert list(selectors.failed_letters(job=job)) == [failed]
    assert selectors.announced_agency_count(program=program) == 2


def test_sending_again_to_the_unsent_keeps_numbers(
        program, agencies, users, django_capture_on_commit_callbacks):
    organiser = users[Role.ORGANISER]
    _start(program, organiser, django_capture_on_commit_callbacks)
    number = AnnouncementLetter.objects.get(agency=agencies[2]).number
    Agency.objects.filter(pk=agencies[2].pk).update(email="sdm@kemen.example")
    mail.outbox.clear()
    job = _start(program, organiser, django_capture_on_commit_callbacks)
    assert (job.total, job.sent, job.failed) == (1, 1, 0)
    assert [m.to for m in mail.outbox] == [["sdm@kemen.example"]]
    letter = AnnouncementLetter.objects.get(agency=agencies[2])
    assert (letter.number, letter.status, letter.attempts) == (number, LetterStatus.SENT, 2)
    with pytest.raises(ValidationError, match="Semua instansi sudah menerima"):
        services.start_send_job(program=program, by=organiser)
    job = _start(program, organiser, django_capture_on_commit_callbacks, scope=SendScope.ALL)
    assert (job.total, job.sent) == (3, 3)
    assert AnnouncementLetter.objects.count() == 3
    assert selectors.announced_agency_count(program=program) == 3


def test_one_job_at_a_time_and_a_rerun_sends_only_what_is_pending(
        program, agencies, users, django_capture_on_commit_callbacks):
    organiser = users[Role.ORGANISER]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.start_send_job(program=program, by=organiser)
    assert len(callbacks) == 1 and job.status == JobStatus.QUEUED
    with pytest.raises(ValidationError, match="masih berjalan"):
        services.start_send_job(program=program, by=organiser)
    with pytest.raises(IntegrityError), transaction.atomic():
        SendJob.objects.create(program=program, status=JobStatus.RUNNING)
    assert selectors.active_job(program=program) == job
    services.run_send_job(job_id=job.pk)
    services.run_send_job(job_id=job.pk)  # a repeated delivery of the task sends nothing
    job.refresh_from_db()
    assert (job.status, job.sent, job.failed) == (JobStatus.FINISHED, 2, 1)
    assert len(mail.outbox) == 2
    assert selectors.active_job(program=program) is None


class RefusingBackend:
    """An SMTP server that refuses every message."""

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        raise OSError("550 mailbox unavailable")


def test_a_mail_server_error_is_recorded_per_agency(
        program, agency_a, users, django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = "tests.test_letters_services.RefusingBackend"
    job = _start(program, users[Role.ORGANISER], django_capture_on_commit_callbacks)
    assert (job.total, job.sent, job.failed, job.status) == (1, 0, 1, JobStatus.FINISHED)
    letter = AnnouncementLetter.objects.get(agency=agency_a)
    assert letter.status == LetterStatus.FAILED
    assert letter.error == "OSError: 550 mailbox unavailable"
    assert not letter.pdf


def test_letters_are_scoped_by_agency(program, agency_a, agency_b, users):
    letters = services.issue_letters(program=program, agencies=[agency_a, agency_b])
    operator_b = make_user(Role.OPERATOR, username="op-b", agency=agency_b)
    assert list(selectors.letters_visible_to(user=users[Role.OPERATOR])) == \
        [letters[agency_a.pk]]
    assert list(selectors.letters_visible_to(user=operator_b)) == [letters[agency_b.pk]]
    assert selectors.letters_visible_to(user=users[Role.ORGANISER]).count() == 2
    for role in (Role.PARTICIPANT, Role.FACILITATOR, Role.ASSESSOR):
        assert not selectors.letters_visible_to(user=users[role]).exists()
    assert selectors.agency_letter(user=operator_b, agency=agency_a, program=program) is None


def test_each_programme_has_its_own_letters(program, agencies, users,
                                            django_capture_on_commit_callbacks):
    from django.utils import timezone

    from kompeten.programs.models import Program

    other = Program.objects.create(code="2020", year=2020, name="Pelatihan 2020",
                                   signatory_name="X",
                                   signatory_nip="196102121985091001", signatory_title="Kepala")
    letter_2020 = services.issue_letters(program=other, agencies=agencies[:1])[agencies[0].pk]
    AnnouncementLetter.objects.filter(pk=letter_2020.pk).update(status=LetterStatus.SENT,
                                                               sent_at=timezone.now())
    assert letter_2020.seq == 1
    job = _start(program, users[Role.ORGANISER], django_capture_on_commit_callbacks)
    assert job.total == 3  # the 2020 letter does not count as sent for 2019
    assert AnnouncementLetter.objects.get(program=program, agency=agencies[0]).seq == 1
    assert selectors.announced_agency_count(program=program) == 2
    assert selectors.announced_agency_count(program=other) == 1
