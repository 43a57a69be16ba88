"""The organiser's (and the agency operator's own-agency) report pages and their exports."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kompeten.access.decorators import permission_required
from kompeten.reports import charts
from kompeten.reports.filters import Criteria
from kompeten.reports.selectors import funnel as funnel_selectors
from kompeten.reports.views.common import Table, report_response


@require_GET
@permission_required("reports.view")
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/index.html", {})


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}%"


def _funnel_context(criteria: Criteria, request: HttpRequest) -> dict:
    grouping = request.GET.get("per", "level")
    if grouping not in funnel_selectors.GROUPINGS:
        grouping = "level"
    result = funnel_selectors.funnel(criteria=criteria, grouping=grouping)
    chart = charts.bar_chart(
        title=_("Corong peserta: jumlah per tahap"),
        labels=[str(step.label) for step in result.steps],
        series=[charts.Series(_("Peserta"), result.totals)])
    return {"funnel": result, "chart": chart, "grouping": grouping,
            "groupings": [(key, label) for key, (label, _f) in
                          funnel_selectors.GROUPINGS.items()]}


def _funnel_table(context: dict) -> Table:
    result = context["funnel"]
    header = [_("Jenjang"), _("Instansi"), _("Provinsi")]
    for step in result.steps:
        header += [str(step.label), _("%(step)s (%% dari tahap sebelumnya)")
                   % {"step": step.label}]
    rows = []
    for row in result.rows:
        cells = [row.level, row.group, row.province]
        for number, conversion in row.cells:
            cells += [number, conversion]
        rows.append(cells)
    return Table(header, rows)


def _funnel(request: HttpRequest, export: bool) -> HttpResponse:
    return report_response(request, name="funnel", title=_("Corong peserta"),
                           template="reports/funnel.html", build=_funnel_context,
                           table=_funnel_table, export=export)


@require_GET
@permission_required("reports.view")
def funnel(request: HttpRequest) -> HttpResponse:
    return _funnel(request, export=False)


@require_GET
@permission_required("reports.view")
def funnel_export(request: HttpRequest) -> HttpResponse:
    return _funnel(request, export=True)
