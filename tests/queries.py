"""The one helper for "this page keeps a constant number of queries" tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url: str, params: dict | None = None) -> int:
    """How many queries one GET of the page costs (the page must answer 200)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)
