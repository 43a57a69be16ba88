import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kompeten.accounts.models import Role
from tests.access_matrix import MATRIX, PUBLIC
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


CHECKED = [(name, entry) for name, entry in MATRIX.items() if not entry.post_only]


# Several hundred page loads share one world, built once for this module inside a
# transaction that is rolled back at its end; each test still runs in its own savepoint.
@pytest.fixture(scope="module")
def _shared_media(tmp_path_factory):
    return tmp_path_factory.mktemp("private")


@pytest.fixture(autouse=True)
def _private_media_in_tmp(settings, _shared_media):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.MEDIA_ROOT = _shared_media


@pytest.fixture(scope="module")
def _shared_world(django_db_setup, django_db_blocker, _shared_media):
    with (override_settings(MEDIA_ROOT=_shared_media, PASSWORD_HASHERS=FAST_HASHERS),
          django_db_blocker.unblock(), transaction.atomic()):
        agency_a = make_agency_a()
        world = build_world(open_program_2019(), agency_a, make_agency_b(),
                            make_users(agency_a))
        yield world
        transaction.set_rollback(True)


@pytest.fixture
def ctx(_shared_world, db):
    return dict(_shared_world)  # objects a test adds (matrix_document) stay with that test


def _url(name, entry, ctx):
    return reverse(name, kwargs=entry.kwargs(ctx)) + entry.query


@pytest.mark.parametrize(("name", "entry"), CHECKED, ids=[n for n, _ in CHECKED])
def test_anonymous(client, ctx, name, entry):
    response = client.get(_url(name, entry, ctx))
    if entry.roles == PUBLIC:
        assert response.status_code == 200, response.content[:500]
    else:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(("name", "entry"), CHECKED, ids=[n for n, _ in CHECKED])
@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_each_role(client, ctx, name, entry, role):
    client.force_login(ctx["users"][role])
    response = client.get(_url(name, entry, ctx))
    if entry.redirects_authenticated:
        assert response.status_code == 302
    elif entry.roles == PUBLIC or role in entry.roles:
        assert response.status_code == 200, response.content[:500]
    else:
        assert response.status_code in (403, 404)


@pytest.mark.parametrize("name", [n for n, e in MATRIX.items() if e.post_only])
def test_post_only_views_refuse_get(client, ctx, name):
    client.force_login(ctx["users"][Role.ORGANISER])
    response = client.get(reverse(name, kwargs=MATRIX[name].kwargs(ctx)))
    # logout answers 405; set_language redirects back without changing anything
    assert response.status_code in (302, 405)
    assert not response.cookies


def test_agency_scoping_operator_never_sees_another_agency(client, ctx):
    operator = ctx["users"][Role.OPERATOR]
    client.force_login(operator)
    own = client.get(reverse("programs:agency_detail", args=[ctx["agency_a"].pk]))
    assert own.status_code == 200
    assert ctx["agency_a"].name in own.content.decode()
    other = client.get(reverse("programs:agency_detail", args=[ctx["agency_b"].pk]))
    assert other.status_code == 404
    assert ctx["agency_b"].name not in other.content.decode()


def test_forbidden_page_is_indonesian(client, ctx):
    client.force_login(ctx["users"][Role.PARTICIPANT])
    response = client.get(reverse("programs:masterdata_index"))
    assert response.status_code == 403
    assert "Akses ditolak" in response.content.decode()
