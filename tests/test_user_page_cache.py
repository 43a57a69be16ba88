"""The logged-in page cache (kompeten/common/pagecache.py ``user_page``) and the data version
it is keyed on (kompeten/common/datachange.py): a page is served again only while nothing was
written, a write of any kind shows at once, users and sessions never get each other's pages."""

import re
import threading

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kompeten.accounts.models import Role
from kompeten.common import datachange, pagecache
from kompeten.programs.models import Agency
from kompeten.registration.models import Registration
from tests.queries import count_queries

PAGES = ["/", "/usulan/", "/penempatan/?tahun=2019"]


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _token(body: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)


def _without_token(body: str) -> str:
    body = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1", body)
    return re.sub(r'("X-CSRFToken": ")[^"]+', r"\1", body)


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_a_page_seen_again_is_served_from_the_cache_with_few_queries(world, url):
    client = _login(world["users"][Role.ORGANISER])
    first = client.get(url)
    rendered = count_queries(client, url)
    again = count_queries(client, url, cold=False)
    # the session, the user and the data version; nothing of the page itself
    assert again <= 3 < rendered
    second = client.get(url)
    assert second.status_code == 200
    assert _without_token(second.content.decode()) == _without_token(first.content.decode())
    assert second["Cache-Control"].startswith("private") or "private" in second["Cache-Control"]


@pytest.mark.django_db
def test_any_write_shows_at_once(world):
    client = _login(world["users"][Role.ORGANISER])
    registration = world["registration"]
    assert registration.full_name in client.get("/usulan/").content.decode()
    # through the ORM
    Registration.objects.filter(pk=registration.pk).update(full_name="Nama Lewat Update")
    assert "Nama Lewat Update" in client.get("/usulan/").content.decode()
    # through a raw cursor, as no service of the app would
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Registration._meta.db_table} SET full_name = %s WHERE id = %s",
                       ["Nama Lewat SQL", registration.pk])
    assert "Nama Lewat SQL" in client.get("/usulan/").content.decode()
    # a row deleted
    Registration.objects.filter(pk=world["invited"].pk).delete()
    assert world["invited"].full_name not in client.get("/usulan/").content.decode()


@pytest.mark.django_db
def test_users_never_get_each_others_pages(world, agency_b):
    organiser = _login(world["users"][Role.ORGANISER])
    operator = _login(world["users"][Role.OPERATOR])
    from tests.conftest import make_user
    other = _login(make_user(Role.OPERATOR, username="op-b", agency=agency_b))
    for _ in range(2):
        assert "Beranda penyelenggara" in organiser.get("/").content.decode()
        assert "Beranda operator instansi" in operator.get("/").content.decode()
        mine = operator.get("/usulan/").content.decode()
        theirs = other.get("/usulan/").content.decode()
        assert world["registration"].full_name in mine
        assert world["registration"].full_name not in theirs


@pytest.mark.django_db
def test_each_session_gets_its_own_csrf_token(world):
    user = world["users"][Role.ORGANISER]
    one, two = _login(user), _login(user)
    first = one.get("/usulan/").content.decode()
    second = two.get("/usulan/").content.decode()
    assert pagecache.PLACEHOLDER not in first + second
    assert _token(first) != _token(second)
    # each token posts for its own session
    assert one.get("/usulan/").status_code == 200
    response = one.post("/i18n/setlang/", {"language": "id", "next": "/",
                                           "csrfmiddlewaretoken": _token(one.get("/").content
                                                                         .decode())})
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_pending_message_is_shown_not_cached(world, settings):
    settings.MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"
    client = _login(world["users"][Role.ORGANISER])
    client.get("/usulan/")
    storage = CookieStorage(type("Request", (), {"COOKIES": {}})())
    cookie = storage._encode([Message(constants.SUCCESS, "Usulan tersimpan")])
    client.cookies["messages"] = cookie
    assert "Usulan tersimpan" in client.get("/usulan/").content.decode()
    assert "Usulan tersimpan" not in client.get("/usulan/").content.decode()


@pytest.mark.django_db
def test_a_changed_session_renders_afresh(world):
    client = _login(world["users"][Role.ORGANISER])
    client.get("/usulan/")
    assert count_queries(client, "/usulan/", cold=False) <= 3
    session = client.session
    session["kompeten_test_choice"] = "x"
    session.save()
    assert count_queries(client, "/usulan/", cold=False) > 3


@pytest.mark.django_db
def test_the_clock_renews_a_page_after_its_period(world, monkeypatch):
    client = _login(world["users"][Role.ORGANISER])
    now = 1_800_000_000.0
    monkeypatch.setattr(pagecache.time, "time", lambda: now)
    client.get("/usulan/")
    assert count_queries(client, "/usulan/", cold=False) <= 3
    monkeypatch.setattr(pagecache.time, "time", lambda: now + pagecache.USER_PAGE_SECONDS)
    assert count_queries(client, "/usulan/", cold=False) > 3


@pytest.mark.django_db
def test_anonymous_visitors_and_fragments_pass_through(world):
    assert Client().get("/usulan/").status_code == 302  # to the login page, never a cached page
    organiser = _login(world["users"][Role.ORGANISER])
    organiser.get("/usulan/")
    assert count_queries(organiser, "/usulan/", cold=False) <= 3
    with CaptureQueriesContext(connection) as captured:
        fragment = organiser.get("/usulan/", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert len(captured) > 3  # rendered: an htmx request may ask for another part of the page


@pytest.mark.parametrize("sql, write", [
    ('INSERT INTO "registration_registration" ("nip") VALUES (%s)', True),
    ('UPDATE "registration_registration" SET "full_name" = %s', True),
    ('DELETE FROM "batching_placement" WHERE "id" IN (%s)', True),
    ("  update registration_registration set seat = 1", True),
    ('WITH moved AS (UPDATE "x" SET "a" = 1 RETURNING "id") SELECT * FROM moved', True),
    ('SELECT "registration_registration"."id" FROM "registration_registration"', False),
    ('SELECT ... FOR UPDATE', False),
    ('WITH counts AS (SELECT 1) SELECT * FROM counts', False),
    ('SAVEPOINT "s1"', False),
    ('UPDATE "django_session" SET "session_data" = %s', False),
    ('INSERT INTO "django_session" ("session_key") VALUES (%s)', False),
    ('UPDATE "common_contentversion" SET "token" = %s', False),
    ('INSERT INTO "django_migrations" ("app") VALUES (%s)', False),
    ('UPDATE "django_session_extra" SET "a" = 1', True),
])
def test_what_counts_as_a_write(sql, write):
    assert datachange.is_write(sql) is write


@pytest.mark.django_db(transaction=True)
def test_the_shared_version_moves_after_the_commit_only(agency_a):
    before = datachange.shared_version()
    with transaction.atomic():
        Agency.objects.filter(pk=agency_a.pk).update(name="Instansi Baru")
        # not yet: another process reading now must not cache this data under a new token
        assert datachange.shared_version() == before
    after = datachange.shared_version()
    assert after != before
    try:
        with transaction.atomic():
            Agency.objects.filter(pk=agency_a.pk).update(name="Instansi Batal")
            raise RuntimeError
    except RuntimeError:
        pass
    assert datachange.shared_version() == after
    # a write in autocommit, and one from another connection (another thread)
    Agency.objects.filter(pk=agency_a.pk).update(name="Instansi Lain")
    autocommit = datachange.shared_version()
    assert autocommit != after

    def elsewhere():
        Agency.objects.filter(pk=agency_a.pk).update(name="Instansi Thread")
        connection.close()
    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    assert datachange.shared_version() != autocommit
    # reading is not writing
    list(Agency.objects.all())
    assert datachange.shared_version() == datachange.shared_version()


@pytest.mark.django_db(transaction=True)
def test_a_write_committed_by_another_process_renews_the_page(world_committed):
    """The local part of the token stays still (the write is not this process's): the shared
    part alone must renew the page."""
    client = _login(world_committed["organiser"])
    assert "Nama Dari Proses Lain" not in client.get("/usulan/").content.decode()
    local = datachange.local_version()
    before = datachange.shared_version()
    # what another process does: commit a write, then move the shared version on
    with connection.cursor() as cursor:
        datachange._state.bumping = True  # as if not seen by this process's wrapper
        try:
            cursor.execute(f"UPDATE {Registration._meta.db_table} SET full_name = %s",
                           ["Nama Dari Proses Lain"])
        finally:
            datachange._state.bumping = False
    assert datachange.local_version() == local
    datachange.bump()
    assert datachange.shared_version() != before
    assert "Nama Dari Proses Lain" in client.get("/usulan/").content.decode()


@pytest.fixture
def world_committed(transactional_db, program, agency_a, agency_b, users):
    from tests.conftest import build_world
    world = build_world(program, agency_a, agency_b, users)
    return {"organiser": users[Role.ORGANISER], **world}


@pytest.mark.django_db
def test_a_page_over_the_size_limit_is_rendered_each_time(world, monkeypatch):
    client = _login(world["users"][Role.ORGANISER])
    size = len(client.get("/usulan/").content)
    assert count_queries(client, "/usulan/", cold=False) <= 3
    monkeypatch.setattr(pagecache, "USER_PAGE_MAX_BYTES", size // 2)
    rendered = count_queries(client, "/usulan/")  # rendered, and not kept
    assert rendered > 3
    assert count_queries(client, "/usulan/", cold=False) == rendered
    assert client.get("/usulan/").content.count(b"csrfmiddlewaretoken") > 0


@pytest.mark.django_db(transaction=True)
def test_a_failed_bump_never_fails_a_committed_write(agency_a, monkeypatch, caplog):
    from django.db import DatabaseError

    def broken(using="default"):
        raise DatabaseError("sequence gone")
    monkeypatch.setattr(datachange, "bump", broken)
    Agency.objects.filter(pk=agency_a.pk).update(name="Tetap Tersimpan")  # autocommit
    with transaction.atomic():
        Agency.objects.filter(pk=agency_a.pk).update(name="Tetap Tersimpan Juga")
    assert Agency.objects.get(pk=agency_a.pk).name == "Tetap Tersimpan Juga"
    assert len([r for r in caplog.records if r.levelname == "ERROR"]) == 2


@pytest.mark.django_db
def test_languages_never_mix(world):
    client = _login(world["users"][Role.ORGANISER])
    indonesian = client.get("/usulan/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert client.get("/usulan/", HTTP_ACCEPT_LANGUAGE="id").content.decode().count(
        "Usulan peserta") == indonesian.count("Usulan peserta") > 0
    english = client.get("/usulan/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Participant nominations" in english and "Usulan peserta" not in english
    assert "Usulan peserta" in client.get("/usulan/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
