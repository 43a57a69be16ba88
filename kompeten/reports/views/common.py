"""What every report page shares: resolve the filters for the user, say when an operator's
filter for another agency was ignored, and answer the page or its Excel export (a large
export: the page that offers a background job, reports.services.start_report_export)."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kompeten.reports import services
from kompeten.reports.exports import xlsx_response
from kompeten.reports.filters import Criteria, resolve
from kompeten.reports.models import ReportSnapshot
from kompeten.reports.selectors import snapshots as snapshot_selectors

EXPORT_DIRECT_MAX = 10_000  # more rows than this: written by a background job


@dataclass
class Table:
    header: Sequence[str]
    rows: Iterable[Sequence]
    count: int | None = None  # the number of rows when ``rows`` is not a list

    def __len__(self) -> int:
        return self.count if self.count is not None else len(self.rows)


def _no_options(request) -> dict:
    return {}


@dataclass(frozen=True)
class Report:
    """A report: ``compute`` the aggregates (JSON, so a job can store them), ``present``
    them as the page's context (pages, charts, and whatever is read live per page),
    ``table`` the export's rows from that context. ``options`` are the request's parameters
    beyond the filters that change the aggregates (the funnel's grouping)."""

    name: str
    title: str
    template: str
    compute: Callable[[Criteria, dict], dict]
    present: Callable[[dict, Criteria, HttpRequest], dict]
    table: Callable[[dict], Table]
    options: Callable[[HttpRequest], dict] = _no_options
    form: Callable[[HttpRequest], dict] = _no_options  # the filter form's own context
    permission: str = "reports.view"
    allow_all: bool = False
    default_all: bool = False
    stored: bool = True  # filters over many registrations: shown from a ReportSnapshot

    def build(self, criteria: Criteria, request: HttpRequest) -> dict:
        return self.present(self.compute(criteria, self.options(request)), criteria, request)


def _key(request: HttpRequest, report: Report, criteria: Criteria) -> tuple[str, str]:
    """The snapshot key of this request's figures, and the language it is for."""
    language = get_language()
    return snapshot_selectors.snapshot_key(kind=report.name, criteria=criteria,
                                           options=report.options(request),
                                           language=language), language


def ask_for_figures(request: HttpRequest, report: Report, criteria: Criteria,
                    registrations: int) -> ReportSnapshot:
    """Ask for this request's figures to be computed (again) in the background."""
    key, language = _key(request, report, criteria)
    services.request_snapshot(user=request.user, kind=report.name, key=key,
                              language=language, registrations=registrations,
                              query=dict(request.GET.lists()))
    return snapshot_selectors.snapshot(kind=report.name, key=key)


def _stored(request: HttpRequest, report: Report, criteria: Criteria, registrations: int
            ) -> ReportSnapshot:
    """The stored figures of a large report, asking for a (new) computation when there are
    none yet or they are old."""
    key, _language = _key(request, report, criteria)
    found = snapshot_selectors.snapshot(kind=report.name, key=key)
    if snapshot_selectors.needs_request(found):
        found = ask_for_figures(request, report, criteria, registrations)
    return found


def report_response(request: HttpRequest, report: Report, *, export: bool) -> HttpResponse:
    resolved = resolve(request.GET, user=request.user, allow_all=report.allow_all,
                       default_all=report.default_all)
    if resolved.refused_agency:
        messages.warning(request, _("Anda hanya dapat melihat laporan instansi Anda sendiri; "
                                    "saringan instansi lain diabaikan."))
    criteria = resolved.criteria
    registrations = snapshot_selectors.registrations_under(criteria) if report.stored else 0
    large = registrations > snapshot_selectors.LIVE_MAX_REGISTRATIONS
    if export and large:
        # As many rows as a national programme has: always a background job (the count
        # alone would be the whole aggregation).
        return _export_page(request, report, total=None)
    found = _stored(request, report, criteria, registrations) if large else None
    if found is not None and request.htmx and request.htmx.target == "report-snapshot" \
            and not found.is_pending:
        return HttpResponse(headers={"HX-Refresh": "true"})  # ready: the whole page anew
    context = report.form(request)
    if found is None:
        context.update(report.build(criteria, request))
    elif found.data is not None:
        context.update(report.present(found.data, criteria, request))
    else:
        context["waiting"] = True
    if export:
        data = report.table(context)
        if len(data) <= EXPORT_DIRECT_MAX:
            return xlsx_response(filename=f"laporan-{report.name}.xlsx",
                                 sheet_title=str(report.title), header=data.header,
                                 rows=data.rows)
        return _export_page(request, report, total=len(data))
    query = dict(criteria.as_query())
    query.update({k: v for k, v in request.GET.items() if k == "per"})
    if found is not None:
        context.update({"snapshot": found,
                        "snapshot_registrations": number_format(registrations,
                                                                force_grouping=True),
                        "snapshot_progress": snapshot_selectors.progress(found),
                        "refresh_after": int(
                            snapshot_selectors.REFRESH_AFTER.total_seconds() // 60),
                        "refresh_url": reverse("reports:refresh", args=[report.name])
                        + "?" + request.GET.urlencode()})
    context.update({
        "title": report.title, "filter": resolved.filterset, "selects": resolved.selects,
        "agency_search": resolved.agency_search, "batch_search": resolved.batch_search,
        "criteria": resolved.criteria,
        "export_url": reverse(f"reports:{report.name}_export") + "?" + urlencode(query),
        "report_name": report.name,
    })
    return render(request, template_name=report.template, context=context)


def _export_page(request: HttpRequest, report: Report, *, total: int | None) -> HttpResponse:
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
