"""Whole-response cache of public pages for anonymous visitors, invalidated on write.

``@public_page("public")`` on a view serves anonymous GETs from the cache (LocMem per
process, Redis with REDIS_URL). The key holds the path with its query, the language, whether
htmx asked for a fragment, today's date and the token of the content version ``"public"``
(``ContentVersion``, read in one query per request): every write to what the public pages
show sets a new token, so the next request renders afresh; a change shows at once, on every
process and node. Who bumps: the tables an app declares in its ``AppConfig.ready()`` with
``datachange.watch("public", Model, ...)`` bump the key on any write to them (ORM, bulk,
raw SQL; kompeten/common/datachange.py notices it), and services call ``bump()`` for what
no table tells (the class lists' "announcement"). The shared token is written after the
commit (``bump``).

A page may depend on several content versions (``@public_page("public", "announcement")``:
the tokens are read in the same single query) and may set ``max_age`` (seconds): the key
then also holds the current period of that length, so whatever changes without a bump (a
write outside the app's services) shows at the latest when the period ends, on every
process alike.

Logged-in pages (``@user_page()``) are cached per user and session under the data version
(kompeten/common/datachange.py), which every committed write to the database renews, so
they need no list of writers; see ``user_page``.

What ``public_page`` never serves from the cache: a logged-in user's page (an anonymous page
is never shown to a user; their own pages are ``user_page``'s), a request with messages waiting, a
non-GET, a response that is not a plain 200. The pages carry a CSRF form (the language
switch): the page is stored with a placeholder in place of the token and every response
gets the visitor's own token (so a cached page never hands one visitor's token to
another). Responses say ``Cache-Control: private, no-cache`` (HTML with the visitor's
token) or ``public, no-cache`` (feeds without one), ``Vary: Cookie, Accept-Language`` and
a weak ETag, so a browser or calendar app revalidates and gets a 304 while nothing changed.
"""

import functools
import hashlib
import itertools
import time
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

from kompeten.common import datachange
from kompeten.common.models import ContentVersion

# Not a valid CSRF token (not 64 alphanumerics), so a page that escaped substitution fails
# loudly instead of posting someone else's token.
PLACEHOLDER = "csrf-placeholder-of-a-cached-page"
CACHE_SECONDS = 24 * 3600
HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")
# The content version of the public class lists (kompeten/classroom): bumped by the services
# that write what they show (placements, topic groups, names, agency names, publishing).
ANNOUNCEMENT = "announcement"
# How long a logged-in page may show what depends on the clock alone (not on the data).
USER_PAGE_SECONDS = 60
# A page kept per user and session costs its size in every process's cache (LocMem keeps up
# to 300 entries): larger ones are rendered each time, as before.
USER_PAGE_MAX_BYTES = 256 * 1024

_local_bumps: dict[str, int] = {}
_bump_counter = itertools.count(1)


def version(key: str) -> str:
    """The current token of ``key``. On every cached page's request, so one primary-key read
    without the ORM's query building."""
    return versions((key,))[0]


def versions(keys: tuple[str, ...]) -> tuple[str, ...]:
    """The current tokens of ``keys``, in their order, in one query: the shared token ("" before
    any write) and this process's count of its own bumps (a write not yet committed, such as
    a test's, renews the pages of the process that made it at once)."""
    placeholders = ", ".join(["%s"] * len(keys))
    sql = f"SELECT key, token FROM common_contentversion WHERE key IN ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, list(keys))
        tokens = dict(cursor.fetchall())
    return tuple(f"{tokens.get(key, '')}/{_local_bumps.get(key, 0)}" for key in keys)


def bump(key: str) -> None:
    """A new token for ``key``: pages cached under the old one are not served again.

    In a transaction, the shared token is written once per key after the commit (so no writer
    holds the token's row while its transaction runs, and a page rendered before the commit
    is cached under the old token); this process's count moves at once."""
    _local_bumps[key] = next(_bump_counter)
    if connection.in_atomic_block:
        datachange.once_after_commit(connection, f"content:{key}", lambda: write_token(key))
    else:
        write_token(key)


def write_token(key: str) -> None:
    token = uuid.uuid4().hex
    if not ContentVersion.objects.filter(key=key).update(token=token):
        try:
            with transaction.atomic():
                ContentVersion.objects.create(key=key, token=token)
        except IntegrityError:  # created at the same moment by another writer
            ContentVersion.objects.filter(key=key).update(token=token)


def csrf_placeholder(request: HttpRequest) -> dict:
    """Context processor: while a page is rendered for the cache, its CSRF token is the
    placeholder (every response then gets the visitor's own token)."""
    if getattr(request, "_page_cache_render", False):
        return {"csrf_token": PLACEHOLDER}
    return {}


def _has_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def _cache_key(request: HttpRequest, keys: tuple[str, ...], max_age: int | None) -> str:
    parts = (request.get_full_path(), get_language(), bool(getattr(request, "htmx", False)),
             timezone.localdate().isoformat(), versions(keys),
             int(time.time() // max_age) if max_age else None)
    return "page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _respond(request: HttpRequest, entry: dict, page_key: str) -> HttpResponse:
    content: bytes = entry["content"]
    private = PLACEHOLDER.encode() in content
    validator = page_key
    if private:
        token = get_token(request)
        # The ETag holds the visitor's CSRF secret: a page kept by the browser is only
        # reused while its token is still theirs (the secret changes at login).
        validator += request.META.get("CSRF_COOKIE", "")
    etag = f'W/"{hashlib.sha256(validator.encode()).hexdigest()[:32]}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        if private:
            content = content.replace(PLACEHOLDER.encode(), token.encode())
        response = HttpResponse(content, status=200)
        for name, value in entry["headers"].items():
            response[name] = value
        response["ETag"] = etag
    patch_cache_control(response, private=private, public=not private, no_cache=True)
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response


def public_page(*keys: str, max_age: int | None = None) -> Callable:
    """Serve the view's anonymous GETs from the cache, under the content versions ``keys``
    (``"public"`` when none is given), each page for at most ``max_age`` seconds if given."""
    keys = keys or ("public",)
    if max_age is not None and max_age <= 0:
        raise ValueError("max_age must be positive")
    timeout = min(CACHE_SECONDS, max_age) if max_age else CACHE_SECONDS

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if (request.method not in ("GET", "HEAD") or request.user.is_authenticated
                    or _has_messages(request)):
                return view(request, *args, **kwargs)
            page_key = _cache_key(request, keys, max_age)
            return _cached(request, view, args, kwargs, page_key, timeout)
        return wrapped
    return decorator


def _cached(request: HttpRequest, view: Callable, args: tuple, kwargs: dict, page_key: str,
            timeout: int, max_bytes: int | None = None) -> HttpResponse:
    """The page from the cache, or rendered (with the CSRF placeholder) and kept."""
    entry = cache.get(page_key)
    if entry is None:
        request._page_cache_render = True
        try:
            response = view(request, *args, **kwargs)
        finally:
            request._page_cache_render = False
        if (response.status_code != 200 or response.streaming or response.cookies
                or response.has_header("Cache-Control") or _has_messages(request)
                or (max_bytes is not None and len(response.content) > max_bytes)):
            return _unplaceholder(request, response)
        entry = {"content": response.content,
                 "headers": {h: response[h] for h in HEADERS if response.has_header(h)}}
        cache.set(page_key, entry, timeout)
    return _respond(request, entry, page_key)


def user_page(max_age: int = USER_PAGE_SECONDS) -> Callable:
    """Serve a logged-in user's GETs of the view from the cache while nothing was written.

    The key holds the page's path with its query, the language, the user, their session (its
    key and a digest of its data, so a filter or choice kept in the session is part of the
    page), today's date, the current period of ``max_age`` seconds (whatever depends on the
    clock shows at the latest when it ends) and the data version (kompeten/common/
    datachange.py), which every committed write to the database moves on. A page is
    therefore only served again while the database is exactly as it was when the page was
    rendered. Anonymous visitors, htmx fragments, non-GETs, pending messages, responses that
    are not plain 200s and pages over USER_PAGE_MAX_BYTES pass through."""
    if max_age <= 0:
        raise ValueError("max_age must be positive")

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if (request.method not in ("GET", "HEAD") or not request.user.is_authenticated
                    or getattr(request, "htmx", False) or _has_messages(request)):
                return view(request, *args, **kwargs)
            page_key = _user_key(request, max_age)
            return _cached(request, view, args, kwargs, page_key, max_age,
                           USER_PAGE_MAX_BYTES)
        return wrapped
    return decorator


def _user_key(request: HttpRequest, max_age: int) -> str:
    session = request.session
    data = repr(sorted(session.items())).encode()
    parts = ("user", request.get_full_path(), get_language(), request.user.pk,
             session.session_key, hashlib.sha256(data).hexdigest(),
             timezone.localdate().isoformat(), int(time.time() // max_age),
             datachange.token())
    return "page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _unplaceholder(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A response rendered for the cache but not kept: give it the visitor's token."""
    if not response.streaming and PLACEHOLDER.encode() in response.content:
        response.content = response.content.replace(PLACEHOLDER.encode(),
                                                     get_token(request).encode())
    return response
