"""What every report page shares: resolve the filters for the user, say when an operator's
filter for another agency was ignored, and answer the page or its Excel export."""

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


@dataclass
class Table:
    header: Sequence[str]
    rows: Iterable[Sequence]


def report_response(request: HttpRequest, *, name: str, title: str, template: str,
                    build: Callable[[Criteria, HttpRequest], dict],
                    table: Callable[[dict], Table], export: bool,
                    allow_all: bool = False, default_all: bool = False) -> HttpResponse:
    resolved = resolve(request.GET, user=request.user, allow_all=allow_all,
                       default_all=default_all)
    if resolved.refused_agency:
        messages.warning(request, _("Anda hanya dapat melihat laporan instansi Anda sendiri; "
                                    "saringan instansi lain diabaikan."))
    context = build(resolved.criteria, request)
    if export:
        data = table(context)
        return xlsx_response(filename=f"laporan-{name}.xlsx", sheet_title=title,
                             header=data.header, rows=data.rows)
    query = dict(resolved.criteria.as_query())
    query.update({k: v for k, v in request.GET.items() if k == "per"})
    context.update({
        "title": title, "filter": resolved.filterset, "selects": resolved.selects,
        "criteria": resolved.criteria,
        "export_url": reverse(f"reports:{name}_export") + "?" + urlencode(query),
        "report_name": name,
    })
    return render(request, template, context)
