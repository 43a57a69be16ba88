"""The access matrix: every route, every method, every principal (tests/access_matrix.py)."""

import re

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from kompeten.access.navigation import NAVIGATION, roles_of
from kompeten.accounts.models import Role
from tests.access_matrix import ANONYMOUS, MATRIX, PRINCIPALS, add_principals
from tests.conftest import (
    FAST_HASHERS,
    build_world,
    make_agency_a,
    make_agency_b,
    make_users,
    open_program_2019,
)

# Django's admin has its own staff checks (tested in test_accounts).
SKIPPED_NAMESPACES = {"admin"}


def _named_patterns(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            if ns in SKIPPED_NAMESPACES:
                continue
            prefix = f"{namespace}{ns}:" if ns else namespace
            yield from _named_patterns(pattern.url_patterns, prefix)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else None


def test_every_url_pattern_is_in_the_matrix():
    names = list(_named_patterns(get_resolver().url_patterns))
    assert None not in names, "every URL pattern must have a name"
    missing = sorted(set(names) - set(MATRIX))
    assert not missing, f"add these URL names to tests/access_matrix.py: {missing}"
    stale = sorted(set(MATRIX) - set(names))
    assert not stale, f"these matrix entries no longer exist: {stale}"


# About 1,700 requests share one world, built once for this module inside a transaction
# that is rolled back at its end; each test still runs in its own savepoint, so a POST
# that changes something is undone before the next case.
@pytest.fixture(scope="module")
def _shared_media(tmp_path_factory):
    return tmp_path_factory.mktemp("private")


# The settings of tests/conftest.py's fixture, set once for the module by _shared_world.
@pytest.fixture(autouse=True)
def _private_media_in_tmp():
    pass


@pytest.fixture(scope="module")
def _shared_world(django_db_setup, django_db_blocker, _shared_media):
    with (override_settings(MEDIA_ROOT=_shared_media, PASSWORD_HASHERS=FAST_HASHERS,
                            BACKGROUND_JOBS="eager"),
          django_db_blocker.unblock(), transaction.atomic()):
        agency_a = make_agency_a()
        world = add_principals(build_world(open_program_2019(), agency_a, make_agency_b(),
                                           make_users(agency_a)))
        # One client per principal for the whole module (a client's handler loads the
        # middleware, static files included, which costs more than most requests) and
        # one session each, stored with the world: a case only resets the cookie.
        clients = {ANONYMOUS: Client()}
        sessions = {}
        for name, user in world["principals"].items():
            clients[name] = Client()
            clients[name].force_login(user)
            sessions[name] = clients[name].cookies[django_settings.SESSION_COOKIE_NAME].value
        yield {**world, "clients": clients, "sessions": sessions}
        transaction.set_rollback(True)


@pytest.fixture
def ctx(_shared_world, db):
    return dict(_shared_world)  # objects a test adds (matrix_document) stay with that test


def _client(ctx, principal: str) -> Client:
    client = ctx["clients"][principal]
    client.cookies.clear()  # a case may have logged out or changed the language
    if principal != ANONYMOUS:
        client.cookies[django_settings.SESSION_COOKIE_NAME] = ctx["sessions"][principal]
    return client


def _url(name, ctx):
    entry = MATRIX[name]
    return reverse(name, kwargs=entry.kwargs(ctx)) + entry.query


def _to_login(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("login"))


CASES = [(name, method, principal) for name in MATRIX for method in ("GET", "POST")
         for principal in PRINCIPALS]


@pytest.mark.parametrize(("name", "method", "principal"), CASES,
                         ids=[f"{n}-{m}-{p}" for n, m, p in CASES])
def test_route(ctx, name, method, principal):
    entry = MATRIX[name]
    client = _client(ctx, principal)
    url = _url(name, ctx)
    response = client.get(url) if method == "GET" else client.post(url)
    status = response.status_code
    served = method in entry.methods
    if principal not in entry.who:
        if principal == ANONYMOUS:
            assert _to_login(response) or (not served and status == 405), status
        else:
            assert status in (403, 404) or (not served and status == 405), status
    elif not served:
        assert status == 405, status
    elif principal != ANONYMOUS and entry.redirects_authenticated:
        assert status == 302
    elif method == "GET":
        redirects = entry.get_redirects or principal in entry.redirected
        assert status == (302 if redirects else 200), response.content[:500]
        assert not _to_login(response)
    else:
        assert status in (200, 302) and not _to_login(response), response.content[:500]
    # Never another agency's (or participant's) data, whatever the answer.
    if (not response.streaming and "html" in response.get("Content-Type", "")
            and not entry.shows_token_holder_record):
        page = response.content.decode()
        leaked = sorted(nip for nip in ctx["secrets"][principal] if nip in page)
        assert not leaked, f"{principal} reads {leaked} in {name}"


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_navigation_links_only_to_pages_the_principal_may_open(ctx, principal):
    client = _client(ctx, principal)
    page = client.get(reverse("home")).content.decode()
    bar = page.split('id="nav"', 1)[1].split("</nav>", 1)[0]
    links = {href for href in re.findall(r'href="(/[^"#]*)"', bar)}
    assert links, page[:500]
    refused = sorted(link for link in links if client.get(link).status_code != 200)
    assert not refused, f"{principal} is shown links to {refused}"


def _targets(entries):
    for entry in entries:
        yield from (_targets(entry.target) if isinstance(entry.target, tuple) else [entry])


def test_navigation_follows_the_views_declarations():
    """Each entry is shown to exactly the roles its view admits (narrowed by ``only``)."""
    for entry in _targets(NAVIGATION):
        view = resolve(reverse(entry.target)).func
        declared = getattr(view, "allowed_roles", None)
        expected = ({None, *Role} if declared is None else set(declared))
        assert set(roles_of(entry.target)) == expected, entry.target


def test_agency_scoping_operator_never_sees_another_agency(ctx):
    client = _client(ctx, "operator_a")
    own = client.get(reverse("programs:agency_detail", args=[ctx["agency_a"].pk]))
    assert own.status_code == 200
    assert ctx["agency_a"].name in own.content.decode()
    other = client.get(reverse("programs:agency_detail", args=[ctx["agency_b"].pk]))
    assert other.status_code == 404
    assert ctx["agency_b"].name not in other.content.decode()


def test_forbidden_page_is_indonesian(ctx):
    response = _client(ctx, "participant").get(reverse("programs:masterdata_index"))
    assert response.status_code == 403
    assert "Akses ditolak" in response.content.decode()
