"""Every e-mail reads right in any mail client: parsed from its bytes with Python's `email`
package (policy=default). Date in Asia/Jakarta with its offset, Message-ID on the site's
domain, the subject folded without an empty first line, a text/plain part always, an HTML
alternative where a table helps, and the PDF of a letter as an attachment."""

import datetime as dt
import email
import email.policy
import re

import pytest
from django.core import mail
from django.urls import reverse

from kompeten.accounts.models import Role
from kompeten.common.mail import queue_email
from kompeten.letters import services as letter_services
from tests.test_letters_services import agencies  # noqa: F401 - fixture
from tests.test_publication import _publish, placed  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

LONG_SUBJECT = ("Pengumuman angkatan Pelatihan dan Sertifikasi Kompetensi Teknis Manajemen ASN "
                "2019: BKD Provinsi Nusa Tenggara Timur — daftar peserta dan rumpun")
JAKARTA = dt.timedelta(hours=7)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_DOMAIN = "kompeten.bkn.example"
    settings.TIME_ZONE = "Asia/Jakarta"


def _parsed(message, linesep="\n"):
    raw = message.message().as_bytes(linesep=linesep)
    return raw, email.message_from_bytes(raw, policy=email.policy.default)


def _check_headers(raw: bytes, parsed, subject: str) -> None:
    head = raw.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0].decode("ascii")
    assert re.search(r"^Subject: \S", head, re.M), head  # no empty first line
    assert all(len(line) <= 78 for line in head.split("\n")), head
    assert str(parsed["Subject"]) == subject
    date = parsed["Date"].datetime
    assert date.utcoffset() == JAKARTA and re.search(r"^Date: .* \+0700$", head, re.M)
    assert abs(dt.datetime.now(dt.UTC) - date) < dt.timedelta(minutes=5)
    assert re.fullmatch(r"<[^@<>\s]+@kompeten\.bkn\.example>", str(parsed["Message-ID"]))
    assert parsed.get_body(("plain",)) is not None


def test_a_queued_mail_has_date_message_id_and_folded_subject(
        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue_email(subject=LONG_SUBJECT, body="Yth. Bapak/Ibu,\n\nSalam — Pusbang ASN",
                    to=["operator@instansi.go.id"])
    message, = mail.outbox
    raw, parsed = _parsed(message)
    _check_headers(raw, parsed, LONG_SUBJECT)
    assert parsed.get_content_type() == "text/plain"
    assert parsed.get_content() == "Yth. Bapak/Ibu,\n\nSalam — Pusbang ASN\n"
    assert str(parsed["To"]) == "operator@instansi.go.id"
    # The SMTP backend asks for CRLF line ends: the same message, every line ended by CRLF.
    smtp_raw, smtp_parsed = _parsed(message, linesep="\r\n")
    assert b"\n" not in smtp_raw.replace(b"\r\n", b"")
    _check_headers(smtp_raw, smtp_parsed, LONG_SUBJECT)


def test_two_mails_never_share_a_message_id(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            queue_email(subject="Uji", body="Isi", to=["a@instansi.go.id"])
    ids = {str(_parsed(m)[1]["Message-ID"]) for m in mail.outbox}
    assert len(ids) == 2


def test_the_class_list_mail_to_an_operator_has_an_html_table(
        placed, django_capture_on_commit_callbacks):  # noqa: F811
    _publish(placed, django_capture_on_commit_callbacks)
    operator = placed["users"][Role.OPERATOR]
    message = next(m for m in mail.outbox if m.to == [operator.email])
    raw, parsed = _parsed(message)
    _check_headers(raw, parsed, message.subject)
    assert parsed.get_content_type() == "multipart/alternative"
    plain, html = parsed.get_body(("plain",)), parsed.get_body(("html",))
    assert [part.get_content_type() for part in parsed.iter_parts()] == [
        "text/plain", "text/html"]
    text, markup = plain.get_content(), html.get_content()
    assert all(p.registration.full_name in text for p in placed["a"])
    rows = re.findall(r"<tr>", markup)
    officials = re.findall(r"^\d+\. ", text, re.M)
    assert '<th scope="col"' in markup and len(rows) == len(officials) + 1 > 1
    assert all(p.registration.full_name in markup for p in placed["a"])
    # a participant's own mail is a plain text (no table to show)
    own = next(m for m in mail.outbox if m.to == [placed["a"][0].registration.email])
    assert _parsed(own)[1].get_content_type() == "text/plain"


def test_the_announcement_letter_mail_carries_its_pdf(
        program, agencies, users, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        letter_services.start_send_job(program=program, by=users[Role.ORGANISER],
                                       scope="unsent")
    message = next(m for m in mail.outbox if m.to == ["bkd@aceh.example"])
    raw, parsed = _parsed(message)
    _check_headers(raw, parsed, message.subject)
    assert parsed.get_content_type() == "multipart/mixed"
    assert "Kepala BKD Provinsi Aceh" in parsed.get_body(("plain",)).get_content()
    attachment, = parsed.iter_attachments()
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "surat-pemberitahuan-2019-PROV-01.pdf"
    assert attachment.get_content().startswith(b"%PDF")


def test_the_password_reset_mail(client, users):
    user = users[Role.PARTICIPANT]
    assert client.post(reverse("password_reset"), {"email": user.email}).status_code == 302
    message, = mail.outbox
    raw, parsed = _parsed(message)
    _check_headers(raw, parsed, message.subject)
    assert "/akun/kata-sandi/reset/" in parsed.get_body(("plain",)).get_content()
