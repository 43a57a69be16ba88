"""Texts a user reads: titles, wording, dates per language, the funnel, the favicon, the
placement check, and the markup that keeps tables readable on phones."""

import datetime as dt
import html
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from kompeten.accounts.models import Role
from kompeten.batching.models import Placement
from kompeten.programs.models import Agency, AgencyKind, Level
from kompeten.registration.models import Registration, Status
from tests.access_matrix import MATRIX, PUBLIC, add_principals
from tests.factories import accepted, agency, complete, submitted_file

PRINCIPAL_ORDER = ["organiser", "operator_a", "participant", "facilitator_x", "assessor"]


def _visible_text(page: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def _pages(client, world):
    """(url name, html) of every page of the access matrix, opened by the first principal
    (in PRINCIPAL_ORDER) that may, or anonymously when public."""
    world = add_principals(world)
    pages = []
    for name, entry in MATRIX.items():
        if "GET" not in entry.methods:
            continue
        client.logout()
        if entry.who != PUBLIC:
            principal = next((p for p in PRINCIPAL_ORDER if p in entry.who), None)
            if principal is None:
                continue
            client.force_login(world["principals"][principal])
        response = client.get(reverse(name, kwargs=entry.kwargs(world)) + entry.query)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        page = response.content.decode()
        if "<title>" in page:
            pages.append((name, page))   # whole pages, not htmx fragments
    assert len(pages) > 40
    return pages


@pytest.mark.django_db
def test_every_page_title_is_its_heading(client, world):
    mismatched = []
    for name, page in _pages(client, world):
        title = _visible_text(re.search(r"<title>(.*?)</title>", page, re.S).group(1))
        heading = re.search(r"<h1\b[^>]*>(.*?)</h1>", page, re.S)
        assert heading, f"{name} has no <h1>"
        # a <small> in the heading is a subtitle (the programme's name), not the title
        main = _visible_text(re.sub(r"<small\b.*?</small>", " ", heading.group(1), flags=re.S))
        if title.strip() != f"{main.strip()} · Pusbang ASN BKN":
            mismatched.append(f"{name}: <title> {title.strip()!r} <h1> {main.strip()!r}")
    assert not mismatched, "\n".join(mismatched)


@pytest.mark.django_db
def test_no_page_says_sandi_without_kata(client, world):
    lone = re.compile(r"(?<!kata )\bsandi\b", re.IGNORECASE)
    found = [f"{name}: {match}" for name, page in _pages(client, world)
             for match in lone.findall(_visible_text(page))]
    assert not found, found
    client.logout()
    client.force_login(world["users"][Role.PARTICIPANT])
    page = _visible_text(client.get(reverse("password_change")).content.decode())
    assert "Kata sandi lama" in page and "Kata sandi baru" in page
    assert not lone.search(page)


@pytest.mark.django_db
def test_login_error_names_the_fields_once(client, world):
    response = client.post(reverse("login"), {"username": "tidak-ada", "password": "salah"})
    text = _visible_text(response.content.decode())
    assert "nama pengguna nama pengguna" not in text
    assert "Masukkan nama pengguna dan kata sandi yang benar." in text


@pytest.mark.django_db
def test_pagination_speaks_the_page_language(client, world):
    Agency.objects.bulk_create(
        Agency(code=f"PAGE-{n:03d}", name=f"Instansi Halaman {n:03d}", kind=AgencyKind.KL_PUSAT)
        for n in range(60))
    client.force_login(world["users"][Role.ORGANISER])
    url = reverse("programs:masterdata_list", kwargs={"kind": "instansi"})
    page = client.get(url).content.decode()
    assert "Berikutnya" in page and ">next<" not in re.sub(r"\s+", "", page)
    page = client.get(url + "?page=2").content.decode()
    assert "Sebelumnya" in page and "previous" not in _visible_text(page)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Next" in _visible_text(client.get(url).content.decode())


def test_dates_read_day_month_year_in_both_languages():
    day = dt.date(2019, 5, 6)
    with translation.override("en"):
        assert date_format(day) == "6 May 2019"
        assert date_format(day, "SHORT_DATE_FORMAT") == "6 May 2019"
    with translation.override("id"):
        assert date_format(day) == "6 Mei 2019"
        assert date_format(day, "SHORT_DATE_FORMAT") == "6 Mei 2019"


@pytest.mark.django_db
def test_english_tables_show_no_numeric_dates(client, world):
    client.force_login(world["users"][Role.ORGANISER])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("programs:masterdata_list", kwargs={"kind": "angkatan"}))
    text = _visible_text(page.content.decode())
    assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{4}\b", text)
    assert re.search(r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) 2019\b", text)


@pytest.mark.django_db
def test_favicon_is_served_and_linked(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and b"".join(response.streaming_content)
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    page = client.get(reverse("home")).content.decode()
    assert re.search(r'<link rel="icon" href="[^"]+favicon\.ico"', page)


@pytest.mark.django_db
def test_organiser_funnel_goes_on_to_sent_back_accepted_and_placed(client, world):
    program = world["program"]
    pengawas = Level.objects.get(code="pengawas")
    seated, waiting, unplaced = accepted(program, pengawas, agency(), count=3)
    Placement.objects.create(registration=seated, batch=program.batches.get(number=11), seat=2)
    Placement.objects.create(registration=waiting, batch=None, seat=None,
                             waiting_since=dt.datetime(2019, 7, 1, tzinfo=dt.UTC))
    sent_back = complete(accepted(program, pengawas, agency(), status=Status.REVISION)[0])
    client.force_login(world["users"][Role.ORGANISER])
    page = client.get(reverse("home")).content.decode()
    table = re.search(r'<table[^>]*id="funnel".*?</table>', page, re.S).group(0)
    headers = [_visible_text(h).strip() for h in re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>",
                                                            table)]
    assert headers == ["Jenjang", "Diusulkan", "Diundang", "Terdaftar", "Berkas lengkap",
                       "Dikembalikan", "Diterima", "Ditempatkan"]
    row = re.search(r"<tr><th scope=\"row\">Pengawas</th>(.*?)</tr>", table, re.S).group(1)
    counts = dict(re.findall(r'data-label="([^"]+)">(\d+)</td>', row))
    before = Registration.objects.filter(program=program, level=pengawas).exclude(
        pk__in=[seated.pk, waiting.pk, unplaced.pk, sent_back.pk])
    assert counts["Dikembalikan"] == str(1 + before.filter(status=Status.REVISION).count())
    assert counts["Diterima"] == str(3 + before.filter(status=Status.ACCEPTED).count())
    assert counts["Ditempatkan"] == str(Placement.objects.filter(
        registration__program=program, registration__level=pengawas,
        batch__isnull=False).count())
    assert int(counts["Ditempatkan"]) >= 1


@pytest.mark.django_db
def test_placement_overview_warns_only_about_real_violations(
        client, world, django_capture_on_commit_callbacks):
    program = world["program"]
    pengawas = Level.objects.get(code="pengawas")
    accepted(program, pengawas, agency(), count=2)   # accepted, not placed yet: normal
    client.force_login(world["users"][Role.ORGANISER])
    url = reverse("batching:batch_overview")

    def check_now():   # the stored check (never run on GET): the page's "Periksa sekarang"
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, {"tahun": program.code, "action": "check"})

    check_now()
    for response in (client.get(url), client.post(url, {"tahun": program.code,
                                                         "level": "pengawas",
                                                         "action": "preview"})):
        page = response.content.decode()
        assert 'id="placement-problems"' not in page
        assert "belum ditempatkan" in page
    # a real violation: a registration that is not accepted holds a seat
    rejected = accepted(program, pengawas, agency(), status=Status.REJECTED)[0]
    Placement.objects.create(registration=rejected, batch=program.batches.get(number=12), seat=1)
    check_now()
    page = client.get(url).content.decode()
    assert 'id="placement-problems"' in page
    assert "peserta yang tidak berstatus diterima ikut ditempatkan: 1" in page
    assert "tidak ditempatkan dan tidak di daftar tunggu" not in page


# -- phones: the tables reported too wide at 390 px carry the stacking markup -------------
# (tests/browser/test_phone_layout.py measures the pages in a 390 px browser)

def _table(page: str, table_id: str) -> str:
    return re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, re.S).group(0)


def _stacks(table: str) -> bool:
    opening = re.match(r"<table[^>]*>", table).group(0)
    cells = re.findall(r"<td\b[^>]*>", table)
    return "table-stack" in opening and cells and all("data-label=" in c for c in cells)


@pytest.mark.django_db
def test_wide_tables_stack_on_phones(client, world):
    file = submitted_file(program=world["program"], agency=world["agency_b"],
                          nip="198001012005011009", seat=77)
    client.force_login(world["users"][Role.ORGANISER])
    review = client.get(reverse("review:review", kwargs={"pk": file.pk})).content.decode()
    assert _stacks(_table(review, "milestones"))
    nominations = client.get(reverse("nominations:nomination_list")).content.decode()
    assert _stacks(_table(nominations, "nomination-table"))
    home = client.get(reverse("home")).content.decode()
    assert _stacks(_table(home, "funnel"))
    participant = Registration.objects.get(user=world["users"][Role.PARTICIPANT])
    complete(participant)
    client.force_login(world["users"][Role.PARTICIPANT])
    plan = client.get(reverse("actionplans:my_action_plan")).content.decode()
    assert _stacks(_table(plan, "rtl-milestone-table"))
    css = (settings.BASE_DIR / "static" / "kompeten.css").read_text()
    assert ".table-stack td::before { content: attr(data-label)" in css
