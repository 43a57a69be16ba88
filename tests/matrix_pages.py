"""The HTML pages of the access matrix, as each representative principal sees them.

Shared by the HTML validator suite (tests/test_html_validity.py, Django's test client) and
the accessibility suite (tests/browser/test_accessibility.py, which opens the same URLs in
Chromium). Every route of tests/access_matrix.MATRIX (tests/matrix/*.py included) is
covered, so the pages of apps added later are checked without touching these suites.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.test import Client
from django.urls import reverse

from tests.access_matrix import ANONYMOUS, MATRIX

# One principal per role (the issue: organiser, operator A, participant, facilitator X,
# assessor, anonymous); the "other" principals of the matrix see the same templates.
REPRESENTATIVES = ("organiser", "operator_a", "participant", "facilitator_x", "assessor",
                   ANONYMOUS)


@dataclass(frozen=True)
class MatrixPage:
    name: str
    principal: str
    url: str
    html: str

    @property
    def is_document(self) -> bool:
        """A whole page (an htmx fragment has no <title>)."""
        return "<title>" in self.html

    @property
    def label(self) -> str:
        return f"{self.name} [{self.principal}] {self.url}"


def matrix_urls(world: dict, principals: tuple[str, ...] = REPRESENTATIVES
                ) -> Iterator[tuple[str, str, str]]:
    """(url name, principal, url) of every GET route for every principal allowed."""
    chosen = principals
    for name, entry in MATRIX.items():
        if "GET" not in entry.methods or entry.get_redirects:
            continue
        principals = [p for p in chosen
                      if (p in entry.who) and not (p != ANONYMOUS and entry.redirects_authenticated)
                      and p not in entry.redirected]
        if not principals:
            continue
        url = reverse(name, kwargs=entry.kwargs(world)) + entry.query
        for principal in principals:
            yield name, principal, url


def matrix_pages(world: dict, principals: tuple[str, ...] = REPRESENTATIVES
                 ) -> list[MatrixPage]:
    """Every HTML answer (200, text/html) of the matrix's GET routes; ``world`` is
    tests.access_matrix.add_principals(build_world(...))."""
    clients: dict[str, Client] = {}
    pages = []
    for name, principal, url in matrix_urls(world, principals):
        if principal not in clients:
            clients[principal] = Client()
            if principal != ANONYMOUS:
                clients[principal].force_login(world["principals"][principal])
        response = clients[principal].get(url)
        if (response.status_code != 200 or response.streaming
                or not response.get("Content-Type", "").startswith("text/html")):
            continue
        pages.append(MatrixPage(name, principal, url, response.content.decode()))
    return pages
