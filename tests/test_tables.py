"""kompeten.common.tables.TemplateColumn: cells render into the page's bound context."""

import ast
from pathlib import Path

import django_tables2 as tables
import pytest
from django.template import RequestContext, Template
from django.test import RequestFactory

from kompeten.common.tables import TemplateColumn

KOMPETEN = Path(__file__).resolve().parent.parent / "kompeten"

CALLS = []


def counting_processor(request):
    CALLS.append(request)
    return {"from_processor": "P"}


class Row:
    def __init__(self, pk, name):
        self.pk, self.name = pk, name


class SampleTable(tables.Table):
    name = TemplateColumn("<b>{{ record.name }}</b>|{{ from_processor }}|{{ csrf_token }}")
    form = TemplateColumn(template_name="common/tests/_cell_form.html")

    class Meta:
        template_name = "django_tables2/table.html"


@pytest.fixture
def cell_template(tmp_path, settings):
    folder = tmp_path / "common" / "tests"
    folder.mkdir(parents=True)
    (folder / "_cell_form.html").write_text(
        '<form method="post">{% csrf_token %}<input name="n" value="{{ record.pk }}">'
        "{{ request.path }}</form>")
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine.get("DIRS", [])], "OPTIONS": {
        **engine["OPTIONS"], "context_processors": [
            *engine["OPTIONS"]["context_processors"], "tests.test_tables.counting_processor"]}}]


def render(rows):
    request = RequestFactory().get("/daftar/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    table = SampleTable(rows)
    tables.RequestConfig(request).configure(table)
    html = Template("{% load django_tables2 %}{% render_table table %}").render(
        RequestContext(request, {"table": table}))
    return html


@pytest.mark.django_db
def test_cells_share_the_pages_context_instead_of_running_processors_per_cell(cell_template):
    CALLS.clear()
    render([Row(1, "Nama 1")])
    one_row = len(CALLS)
    CALLS.clear()
    html = render([Row(pk, f"Nama {pk}") for pk in range(1, 21)])
    # The processors run for the page, not per cell: 20 rows cost what one row costs.
    assert len(CALLS) == one_row <= 2
    assert html.count("|P|") == 20
    assert "<b>Nama 20</b>" in html
    # Forms in cells still carry the CSRF token and see the request.
    assert html.count('name="csrfmiddlewaretoken"') == 20
    assert html.count("/daftar/</form>") == 20


def test_no_app_uses_django_tables2s_template_column_directly():
    offenders = []
    for path in KOMPETEN.rglob("*.py"):
        if path.name == "tables.py" and path.parent.name == "common":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Attribute) and node.attr == "TemplateColumn"
                    and isinstance(node.value, ast.Name) and node.value.id == "tables"):
                offenders.append(f"{path.relative_to(KOMPETEN)}:{node.lineno}")
    assert not offenders, offenders
