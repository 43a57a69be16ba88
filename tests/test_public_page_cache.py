"""The whole-response cache of the public pages (kompeten/common/pagecache.py): a write shows
at once, a logged-in user never gets an anonymous page, languages and CSRF tokens never mix."""

import datetime as dt
import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kompeten.accounts.models import Role
from kompeten.classroom.models import Publication
from kompeten.common import pagecache
from kompeten.programs import services
from kompeten.programs.models import Batch, Program, ProgramJP
from tests.queries import count_queries

SCHEDULE = "/jadwal/"
ICS = "/jadwal/2019.ics"
CALENDAR = "/jadwal/kalender/?bulan=2019-07"
PUBLIC_PAGES = ["/", SCHEDULE, CALENDAR, ICS]


def _token(body: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_cached_page_costs_one_query_whatever_the_data(client, program, url):
    first = count_queries(client, url, cold=False)
    assert first > 1
    # the content version; the page from the cache
    assert count_queries(client, url, cold=False) == 1
    Batch.objects.bulk_create(
        Batch(program=program, number=900 + i, level=program.batches.first().level,
              start_date=dt.date(2019, 7, 1), end_date=dt.date(2019, 7, 2))
        for i in range(30))
    # rendered afresh, with the same queries as before
    assert count_queries(client, url, cold=False) == first
    assert count_queries(client, url, cold=False) == 1


@pytest.mark.django_db
def test_a_write_shows_at_once_on_the_public_pages(client, users, program):
    batch = program.batches.get(number=1)
    assert "Gedung Uji Coba" not in client.get(SCHEDULE).content.decode()
    batch.venue = "Gedung Uji Coba"
    batch.save()
    assert "Gedung Uji Coba" in client.get(SCHEDULE).content.decode()
    assert "Gedung Uji Coba" in client.get(ICS).content.decode()
    # a bulk write (no signal) too
    Batch.objects.filter(pk=batch.pk).update(venue="Wisma Lain")
    assert "Wisma Lain" in client.get(SCHEDULE).content.decode()
    assert "Wisma Lain" in client.get(ICS).content.decode()
    # and the home page: lesson hours, and the class lists' link once published
    home = client.get("/").content.decode()
    ProgramJP.objects.filter(program=program, kind="classroom").update(jp=99)
    assert "klasikal 99 JP" in client.get("/").content.decode() != home
    pengumuman = reverse("classroom:announcement", args=[program.code])
    assert pengumuman not in client.get("/").content.decode()
    Publication.objects.create(program=program, published_at=timezone.now(),
                               published_by=users[Role.ORGANISER])
    assert pengumuman in client.get("/").content.decode()
    Publication.objects.filter(program=program).delete()
    assert pengumuman not in client.get("/").content.decode()


@pytest.mark.django_db
def test_a_new_current_programme_and_an_imported_schedule_show_at_once(client, program):
    assert "2019" in client.get("/").content.decode()
    copy = services.copy_program(source=program, year=2031, code="2031")
    services.make_current(program=copy)
    assert "2031" in client.get("/").content.decode()
    assert "2031" in client.get(SCHEDULE).content.decode()
    content = (b"Angkatan,Jenjang,Mulai,Selesai,Kapasitas,Tempat\n"
               b"1,Pengawas,2031-05-05,2031-05-06,30,Aula Impor\n")
    try:
        services.import_schedule(program=copy, content=content, filename="jadwal.csv")
    except services.ScheduleImportRejected as exc:  # pragma: no cover - shows the columns
        pytest.fail(f"schedule file rejected: {exc.errors}")
    assert "Aula Impor" in client.get(SCHEDULE).content.decode()


@pytest.mark.django_db
def test_a_logged_in_user_never_gets_the_anonymous_page(client, users, program):
    assert "Beranda penyelenggara" not in client.get("/").content.decode()
    client.force_login(users[Role.ORGANISER])
    assert "Beranda penyelenggara" in client.get("/").content.decode()
    # and the other way round: an organiser's page is never what a visitor gets
    visitor = Client()
    body = visitor.get("/").content.decode()
    assert "Beranda penyelenggara" not in body and "Lihat jadwal angkatan" in body


@pytest.mark.django_db
def test_languages_do_not_mix(client, program):
    assert "Jadwal Pelatihan dan Sertifikasi" in client.get(SCHEDULE).content.decode()
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    body = english.get(SCHEDULE).content.decode()
    assert "Training and Certification Schedule" in body
    assert "Jadwal Pelatihan dan Sertifikasi" not in body
    english.cookies["django_language"] = "en"
    assert "Training and Certification Schedule" in english.get(SCHEDULE).content.decode()
    assert "Jadwal Pelatihan dan Sertifikasi" in client.get(SCHEDULE).content.decode()


@pytest.mark.django_db
def test_each_visitor_gets_their_own_csrf_token_and_it_works(program):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page1 = first.get(SCHEDULE).content.decode()
    page2 = second.get(SCHEDULE).content.decode()  # from the cache
    for page in (page1, page2):
        assert pagecache.PLACEHOLDER not in page
        # the language form and htmx's header carry the same token, the visitor's
        assert f'"X-CSRFToken": "{_token(page)}"' in page
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    # the language switch of the cached page posts with the visitor's own token
    response = second.post(reverse("set_language"), {"language": "en", "next": SCHEDULE,
                                                     "csrfmiddlewaretoken": _token(page2)})
    assert response.status_code == 302
    refused = second.post(reverse("set_language"), {"language": "en", "next": SCHEDULE,
                                                    "csrfmiddlewaretoken": _token(page1)})
    assert refused.status_code == 403


@pytest.mark.django_db
def test_headers_and_revalidation(client, program):
    response = client.get(SCHEDULE)
    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    assert {"Cookie", "Accept-Language"} <= {v.strip() for v in response["Vary"].split(",")}
    again = client.get(SCHEDULE, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    Batch.objects.filter(program=program, number=1).update(capacity=31)
    assert client.get(SCHEDULE, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 200
    # the feed carries no token: anyone's copy is the same
    feed = client.get(ICS)
    assert "public" in feed["Cache-Control"] and feed["Content-Type"].startswith("text/calendar")
    assert Client().get(ICS, HTTP_IF_NONE_MATCH=feed["ETag"]).status_code == 304


@pytest.mark.django_db
def test_a_page_with_messages_is_neither_cached_nor_served_from_the_cache(client, program, rf):
    client.get(SCHEDULE)
    request = rf.get("/")
    storage = CookieStorage(request)
    client.cookies["messages"] = storage._encode([Message(constants.SUCCESS, "Pesan uji")])
    assert "Pesan uji" in client.get(SCHEDULE).content.decode()
    assert "Pesan uji" not in Client().get(SCHEDULE).content.decode()


@pytest.mark.django_db
def test_htmx_fragments_are_cached_apart_from_the_page(client, program):
    page = client.get(SCHEDULE, {"level": "pengawas"}).content.decode()
    fragment = client.get(SCHEDULE, {"level": "pengawas"}, HTTP_HX_REQUEST="true")
    assert "<nav" in page and "<nav" not in fragment.content.decode()
    assert "<nav" in client.get(SCHEDULE, {"level": "pengawas"}).content.decode()


@pytest.mark.django_db(transaction=True)
def test_many_writes_bump_the_version_once(program):
    before = pagecache.version("public")
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        Program.objects.filter(pk=program.pk).update(name="Nama baru")
        program.batches.update(capacity=25)
        for batch in program.batches.all()[:5]:
            batch.venue = "Gedung baru"
            batch.save()
        # not yet shared: the commit has not happened
        assert pagecache.version("public").split("/")[0] == before.split("/")[0]
    assert pagecache.version("public").split("/")[0] != before.split("/")[0]
    writes = [q["sql"] for q in captured if "common_contentversion" in q["sql"]
              and not q["sql"].lstrip().upper().startswith("SELECT")
              and "'data'" not in q["sql"]]  # the data version's row (SQLite)
    assert len(writes) == 1


@pytest.mark.django_db
def test_a_raw_sql_write_to_a_watched_table_shows_at_once(client, program):
    assert "Gedung Lewat SQL" not in client.get(SCHEDULE).content.decode()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Batch._meta.db_table} SET venue = %s WHERE program_id = %s",
                       ["Gedung Lewat SQL", program.pk])
    assert "Gedung Lewat SQL" in client.get(SCHEDULE).content.decode()
    assert "Gedung Lewat SQL" in client.get(ICS).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.ORGANISER, Role.OPERATOR, Role.PARTICIPANT])
def test_logged_in_home_reads_the_programme_from_the_cache_until_it_changes(
        client, users, world, role):
    client.force_login(users[role])
    cold = count_queries(client, "/")
    warm = count_queries(client, "/", cold=False)
    assert warm < cold  # programme, lesson hours, timeline and counts from the cache
    world["program"].stages.filter(number=1).update(activity="Tahap yang diganti")
    assert "Tahap yang diganti" in client.get("/").content.decode()
