"""What every report page shares: resolve the filters for the user, say when an operator's
filter for another agency was ignored, and answer the page or its Excel export (a large
export: the page that offers a background job, reports.services.start_report_export)."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from kompeten.reports.exports import xlsx_response
from kompeten.reports.filters import Criteria, resolve

EXPORT_DIRECT_MAX = 10_000  # more rows than this: written by a background job


@dataclass
class Table:
    header: Sequence[str]
    rows: Iterable[Sequence]
    count: int | None = None  # the number of rows when ``rows`` is not a list

    def __len__(self) -> int:
        return self.count if self.count is not None else len(self.rows)


@dataclass(frozen=True)
class Report:
    name: str
    title: str
    template: str
    build: Callable[[Criteria, HttpRequest], dict]
    table: Callable[[dict], Table]
    permission: str = "reports.view"
    allow_all: bool = False
    default_all: bool = False


def report_response(request: HttpRequest, report: Report, *, export: bool) -> HttpResponse:
    resolved = resolve(request.GET, user=request.user, allow_all=report.allow_all,
                       default_all=report.default_all)
    if resolved.refused_agency:
        messages.warning(request, _("Anda hanya dapat melihat laporan instansi Anda sendiri; "
                                    "saringan instansi lain diabaikan."))
    context = report.build(resolved.criteria, request)
    if export:
        data = report.table(context)
        if len(data) <= EXPORT_DIRECT_MAX:
            return xlsx_response(filename=f"laporan-{report.name}.xlsx",
                                 sheet_title=str(report.title), header=data.header,
                                 rows=data.rows)
        return _export_page(request, report, total=len(data))
    query = dict(resolved.criteria.as_query())
    query.update({k: v for k, v in request.GET.items() if k == "per"})
    context.update({
        "title": report.title, "filter": resolved.filterset, "selects": resolved.selects,
        "agency_search": resolved.agency_search, "batch_search": resolved.batch_search,
        "criteria": resolved.criteria,
        "export_url": reverse(f"reports:{report.name}_export") + "?" + urlencode(query),
        "report_name": report.name,
    })
    return render(request, template_name=report.template, context=context)


def _export_page(request: HttpRequest, report: Report, *, total: int) -> HttpResponse:
    """The page of a large export: it asks before a job is started (a POST), then shows the
    progress of the user's jobs of this report and offers their files."""
    from kompeten.reports.selectors.exports import report_exports

    exports = report_exports(user=request.user, kind=report.name)
    return render(request, "reports/export.html", {
        "report": report, "title": report.title, "total": total, "exports": exports,
        "active": any(e.is_active for e in exports),
        "start_url": reverse("reports:export_start", args=[report.name]) + (
            "?" + request.GET.urlencode() if request.GET else ""),
        "report_url": reverse(f"reports:{report.name}") + (
            "?" + request.GET.urlencode() if request.GET else ""),
    })
