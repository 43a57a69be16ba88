"""The one helper for "this page keeps a constant number of queries" tests."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url: str, params: dict | None = None, *, cold: bool = True) -> int:
    """How many queries one GET of the page costs (the page must answer 200). ``cold``: with
    an empty cache, so the count covers everything the page reads (what a cache keeps is
    read again whenever a write renews its version)."""
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)
