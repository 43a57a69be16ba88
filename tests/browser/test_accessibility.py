"""axe-core (WCAG 2.1 A and AA rules) on every page of the access matrix, for one principal
per role, at 1280 px and at 390 px.

The pages are those of tests/access_matrix.MATRIX (tests/matrix/*.py included): a page
added by a later app is checked without changes here. axe-core is vendored under
tests/browser/vendor/ (npm package axe-core, MPL-2.0, licence beside it) and injected into
each page by Playwright, never fetched by the page. A summary of the violations per width
goes to var/axe-report.json.
"""

import json
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import Browser

from tests.access_matrix import ANONYMOUS, add_principals
from tests.conftest import (
    build_world,
    make_agency_a,
    make_agency_b,
    make_users,
    open_program_2019,
)
from tests.matrix_pages import REPRESENTATIVES, matrix_pages

AXE = Path(__file__).with_name("vendor") / "axe.min.js"
WIDTHS = {"1280": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
REPORT = Path(__file__).resolve().parents[2] / "var" / "axe-report.json"

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                          resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""


def _site(principal: str, live_server) -> dict:
    """The access-matrix world (committed: the test is transactional), the HTML pages the
    principal gets (found with Django's test client) and the principal's session."""
    agency_a = make_agency_a()
    world = add_principals(build_world(open_program_2019(), agency_a, make_agency_b(),
                                       make_users(agency_a)))
    pages = [page for page in matrix_pages(world, (principal,)) if page.is_document]
    session = None
    if principal != ANONYMOUS:
        client = Client()
        client.force_login(world["principals"][principal])
        session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return {"pages": pages, "session": session, "url": live_server.url}


@pytest.fixture(scope="module")
def report():
    found: dict[str, dict] = {}
    yield found
    counts = {width: Counter() for width in WIDTHS}
    for entry in found.values():
        for width, violations in entry["violations"].items():
            counts[width].update(v["id"] for v in violations)
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps({
        "pages": len(found),
        "violations_per_width": {w: sum(c.values()) for w, c in counts.items()},
        "rules_per_width": {w: dict(c) for w, c in counts.items()},
        "pages_with_violations": {k: v for k, v in found.items()
                                  if any(v["violations"].values())},
    }, indent=1, ensure_ascii=False))


@pytest.mark.parametrize("principal", REPRESENTATIVES)
@pytest.mark.django_db(transaction=True)
def test_every_page_passes_axe(principal, live_server, report, browser: Browser):
    matrix_site = _site(principal, live_server)
    pages = matrix_site["pages"]
    assert pages or principal == "assessor", f"no page for {principal}"
    context = browser.new_context(base_url=matrix_site["url"], locale="id-ID",
                                  viewport=WIDTHS["1280"],
                                  extra_http_headers={"Accept-Language": "id"})
    context.add_init_script(path=str(AXE))
    if principal != ANONYMOUS:
        context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME,
                              "value": matrix_site["session"],
                              "url": matrix_site["url"]}])
    browser_page = context.new_page()
    errors: list[str] = []
    browser_page.on("pageerror", lambda exc: errors.append(str(exc)))
    failures = []
    try:
        for page in pages:
            response = browser_page.goto(page.url, wait_until="load")
            assert response is not None and response.ok, page.label
            found = {}
            for width, size in WIDTHS.items():
                browser_page.set_viewport_size(size)
                found[width] = browser_page.evaluate(RUN_AXE, WCAG_TAGS)
            browser_page.set_viewport_size(WIDTHS["1280"])
            report[page.label] = {"violations": found}
            failures += [f"{page.label} @{width}px: {v['id']} ({v['impact']}) {v['help']}: "
                         f"{v['nodes']}" for width, violations in found.items()
                         for v in violations]
    finally:
        context.close()
    assert not errors, f"JavaScript errors: {errors}"
    assert not failures, f"{len(failures)} axe violations:\n" + "\n".join(failures)
