"""The organiser's (and the agency operator's own-agency) report pages and their exports."""

import itertools
from dataclasses import asdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from kompeten.access.decorators import permission_required
from kompeten.access.rules import can
from kompeten.accounts.models import Role
from kompeten.common.storage import private_storage
from kompeten.reports import charts, services
from kompeten.reports.filters import Criteria, resolve
from kompeten.reports.selectors import funnel as funnel_selectors
from kompeten.reports.selectors import monev as monev_selectors
from kompeten.reports.selectors import reaction as reaction_selectors
from kompeten.reports.selectors import snapshots as snapshot_selectors
from kompeten.reports.selectors import units as unit_selectors
from kompeten.reports.selectors.competency import CompetencyMap, competency_map
from kompeten.reports.selectors.exports import report_export
from kompeten.reports.views.common import Report, Table, ask_for_figures, report_response

AGENCIES_PER_PAGE = 50  # rows of a long report table per page


@require_GET
@permission_required("reports.view")
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/index.html", {})


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}%"


def _funnel_options(request: HttpRequest) -> dict:
    grouping = request.GET.get("per", "level")
    return {"per": grouping if grouping in funnel_selectors.GROUPINGS else "level"}


def _funnel_form(request: HttpRequest) -> dict:
    return {"grouping": _funnel_options(request)["per"],
            "groupings": [(key, label) for key, (label, _f) in
                          funnel_selectors.GROUPINGS.items()]}


def _funnel_compute(criteria: Criteria, options: dict) -> dict:
    return funnel_selectors.funnel(criteria=criteria, grouping=options["per"]).as_json()


def _funnel_present(data: dict, criteria: Criteria, request: HttpRequest) -> dict:
    result = funnel_selectors.Funnel.from_json(data)
    chart = charts.bar_chart(
        title=_("Corong peserta: jumlah per tahap"),
        labels=[str(step.label) for step in result.steps],
        series=[charts.Series(_("Peserta"), result.totals)])
    return {"funnel": result, "chart": chart}


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


FUNNEL = Report(
    "funnel", gettext_lazy("Corong peserta"), "reports/funnel.html", _funnel_compute,
    _funnel_present, _funnel_table, options=_funnel_options, form=_funnel_form)


def _funnel(request: HttpRequest, export: bool) -> HttpResponse:
    return report_response(request, FUNNEL, export=export)


@require_GET
@permission_required("reports.view")
def funnel(request: HttpRequest) -> HttpResponse:
    return _funnel(request, export=False)


@require_GET
@permission_required("reports.view")
def funnel_export(request: HttpRequest) -> HttpResponse:
    return _funnel(request, export=True)


# -- pass rates per unit and batch, with the test's item statistics -------------------------

def _units_compute(criteria: Criteria, options: dict) -> dict:
    return {"units": [asdict(row) for row in unit_selectors.per_unit(criteria)],
            "batches": [asdict(row) for row in unit_selectors.per_batch(criteria)]}


def _units_present(data: dict, criteria: Criteria, request: HttpRequest) -> dict:
    units = [unit_selectors.PassRow(**row) for row in data["units"]]
    batches = [unit_selectors.PassRow(**row) for row in data["batches"]]
    # One row per batch: thousands nationally; the page shows them in pages (the batch and
    # level filters find any one), the export has them all.
    page = Paginator(batches, AGENCIES_PER_PAGE).get_page(request.GET.get("halaman"))
    context = {"units": units, "batches": batches, "page": page}
    if request.user.role == Role.ORGANISER:
        try:
            chosen = int(request.GET.get("unit", ""))
        except ValueError:
            chosen = None
        context["item_unit"], context["items"] = unit_selectors.item_stats(criteria, chosen)
    if units:
        context["chart"] = charts.bar_chart(
            title=_("Persentase K per unit kompetensi"),
            labels=[f"{row.label} ({row.level})" for row in units],
            series=[charts.Series(_("K (%)"), [row.rate or 0 for row in units])],
            unit="%", maximum=100)
    if batches:
        context["batch_chart"] = charts.bar_chart(
            title=_("Persentase K per angkatan"),
            labels=[_("Angkatan %(n)s") % {"n": row.label} for row in page],
            series=[charts.Series(_("K (%)"), [row.rate or 0 for row in page])],
            unit="%", maximum=100)
    return context


def _units_table(context: dict) -> Table:
    header = [_("Rincian"), _("Kode / angkatan"), _("Judul / penyelenggaraan"), _("Jenjang"),
              _("Diuji"), _("K"), _("BK"), _("% K"), _("Rata-rata uji tertulis (%)")]
    rows = [[_("Unit"), r.label, r.title, r.level, r.assessed, r.competent, r.not_yet, r.rate,
             r.written] for r in context["units"]]
    rows += [[_("Angkatan"), r.label, r.title, r.level, r.assessed, r.competent, r.not_yet,
              r.rate, None] for r in context["batches"]]
    return Table(header, rows)


UNITS = Report(
    "units", gettext_lazy("Kelulusan per unit dan angkatan"), "reports/units.html",
    _units_compute, _units_present, _units_table)


def _units(request: HttpRequest, export: bool) -> HttpResponse:
    return report_response(request, UNITS, export=export)


@require_GET
@permission_required("reports.view")
def units(request: HttpRequest) -> HttpResponse:
    return _units(request, export=False)


@require_GET
@permission_required("reports.view")
def units_export(request: HttpRequest) -> HttpResponse:
    return _units(request, export=True)


# -- reaction (level 1) ------------------------------------------------------------------------

def _reaction_compute(criteria: Criteria, options: dict) -> dict:
    return {"rows": [asdict(row) for row in
                     reaction_selectors.per_facilitator_and_batch(criteria)],
            "overall": [list(row) for row in reaction_selectors.per_facilitator(criteria)]}


def _reaction_present(data: dict, criteria: Criteria, request: HttpRequest) -> dict:
    rows = [reaction_selectors.ReactionRow(**row) for row in data["rows"]]
    overall = [tuple(row) for row in data["overall"]]
    # One row per facilitator and batch: thousands nationally; the page shows them in pages
    # (the batch and level filters find any one), the export has them all.
    page = Paginator(rows, AGENCIES_PER_PAGE).get_page(request.GET.get("halaman"))
    context = {"rows": rows, "scores": reaction_selectors.SCORES, "page": page}
    # The chart: the overall average of the facilitators of this page (one bar each; all
    # of them nationally would be thousands of bars).
    shown = {row.facilitator for row in page}
    overall = [row for row in overall if row[0] in shown]
    if overall:
        context["chart"] = charts.bar_chart(
            title=_("Rata-rata penilaian per fasilitator (1–5)"),
            labels=[name or str(_("Penyelenggaraan")) for name, _a, _n in overall],
            series=[charts.Series(_("Rata-rata"), [average for _n, average, _c in overall])],
            maximum=5)
    return context


def _reaction_table(context: dict) -> Table:
    header = [_("Fasilitator"), _("Angkatan"), _("Jenjang"), _("Jawaban"), _("Rata-rata"),
              *(f"{score}" for score in reaction_selectors.SCORES)]
    return Table(header, [[r.facilitator or _("Penyelenggaraan"), r.batch, r.level, r.count,
                           r.average, *r.distribution] for r in context["rows"]])


REACTION = Report(
    "reaction", gettext_lazy("Evaluasi reaksi per fasilitator dan angkatan"),
    "reports/reaction.html", _reaction_compute, _reaction_present, _reaction_table,
    permission="reports.reaction")


def _reaction(request: HttpRequest, export: bool) -> HttpResponse:
    return report_response(request, REACTION, export=export)


@require_GET
@permission_required("reports.reaction")
def reaction(request: HttpRequest) -> HttpResponse:
    return _reaction(request, export=False)


@require_GET
@permission_required("reports.reaction")
def reaction_export(request: HttpRequest) -> HttpResponse:
    return _reaction(request, export=True)


# -- monev ---------------------------------------------------------------------------------------

def _monev_compute(criteria: Criteria, options: dict) -> dict:
    scale_rows = monev_selectors.scale_answers(criteria)  # one scan for both tables
    return {
        "rates": [asdict(r) for r in monev_selectors.response_rates(criteria)],
        "progress": [asdict(r) for r in monev_selectors.plan_progress(criteria)],
        "impact": [asdict(r) for r in
                   monev_selectors.impact_by_level(criteria, scale_rows=scale_rows)],
        "compared": [asdict(r) for r in
                     monev_selectors.views_compared(criteria, scale_rows=scale_rows)],
        "suggestion_ids": monev_selectors.suggestion_ids(criteria),
    }


def _monev_present(data: dict, criteria: Criteria, request: HttpRequest) -> dict:
    query = request.GET.get("q", "").strip()[:100]
    rates = [monev_selectors.RateRow(**r) for r in data["rates"]]
    progress = [monev_selectors.ProgressRow(**r) for r in data["progress"]]
    compared = [monev_selectors.CompareRow(**r) for r in data["compared"]]
    context = {
        "rates": rates, "progress": progress,
        "impact": [monev_selectors.ImpactRow(**r) for r in data["impact"]],
        "compared": compared, "query": query,
        "suggestions": monev_selectors.suggestions_page(
            criteria, query=query, page=request.GET.get("page"),
            ids=data.get("suggestion_ids")),
        "criteria_for_export": criteria,
    }
    if rates:
        context["rate_chart"] = charts.bar_chart(
            title=_("Tingkat respons per gelombang"),
            labels=[_("%(m)s bulan · %(who)s") % {"m": r.offset, "who": r.audience}
                    for r in rates],
            series=[charts.Series(_("Respons (%)"), [r.rate or 0 for r in rates])],
            unit="%", maximum=100)
    if progress:
        context["progress_chart"] = charts.bar_chart(
            title=_("Langkah kerja RTL selesai per jangka waktu"),
            labels=[_("%(m)s bulan · %(h)s") % {"m": r.offset, "h": r.horizon}
                    for r in progress],
            series=[charts.Series(_("Selesai (%)"), [r.rate or 0 for r in progress])],
            unit="%", maximum=100)
    if compared:
        context["compare_chart"] = charts.bar_chart(
            title=_("Pandangan peserta dan atasan (rata-rata 1–5)"),
            labels=[r.theme for r in compared],
            series=[charts.Series(_("Peserta"), [r.participant or 0 for r in compared]),
                    charts.Series(_("Atasan/mentor"), [r.supervisor or 0 for r in compared])],
            maximum=5)
    return context


def _monev_table(context: dict) -> Table:
    header = [_("Bagian"), _("Gelombang (bulan)"), _("Kelompok"), _("Butir"), _("Jumlah"),
              _("Nilai"), _("Persentase / rata-rata")]
    rows = [[_("Respons"), r.offset, r.audience, "", r.invited, r.answered, r.rate]
            for r in context["rates"]]
    rows += [[_("Progres RTL"), r.offset, r.horizon, "", r.milestones, r.done, r.rate]
             for r in context["progress"]]
    rows += [[_("Dampak"), None, r.audience, f"{r.level}: {r.item}", r.answers, None,
              r.average] for r in context["impact"]]
    rows += [[_("Peserta vs atasan"), None, r.theme, "", r.participant_n, r.supervisor_n,
              f"{r.participant} / {r.supervisor}"] for r in context["compared"]]
    suggestions = monev_selectors.suggestions(context["criteria_for_export"],
                                              query=context["query"])
    fixed = len(rows)
    rows = itertools.chain(rows, ([_("Saran"), s["offset"], s["who"], s["text"], None, None,
                                   s["level"]] for s in suggestions.iterator(chunk_size=2000)))
    return Table(header, rows, count=fixed + suggestions.count())


MONEV = Report(
    "monev", gettext_lazy("Laporan monev"), "reports/monev.html", _monev_compute,
    _monev_present, _monev_table)


def _monev(request: HttpRequest, export: bool) -> HttpResponse:
    return report_response(request, MONEV, export=export)


@require_GET
@permission_required("reports.view")
def monev(request: HttpRequest) -> HttpResponse:
    return _monev(request, export=False)


@require_GET
@permission_required("reports.view")
def monev_export(request: HttpRequest) -> HttpResponse:
    return _monev(request, export=True)


# -- competency map --------------------------------------------------------------------------

def _competency_compute(criteria: Criteria, options: dict) -> dict:
    return competency_map(criteria=criteria).as_json()


def _competency_present(data: dict, criteria: Criteria, request: HttpRequest) -> dict:
    result = CompetencyMap.from_json(data)
    # Thousands of agencies nationally: the page shows them in pages (the agency and
    # province filters find any one); the export has them all.
    context = {"map": result, "page": Paginator(result.agencies, AGENCIES_PER_PAGE)
               .get_page(request.GET.get("halaman"))}
    provinces = [row for row in result.provinces if row.total]
    if provinces:
        context["chart"] = charts.bar_chart(
            title=_("Pejabat bersertifikat kompeten per provinsi dan jenjang"),
            labels=[row.name or str(_("Pusat / tanpa provinsi")) for row in provinces],
            series=[charts.Series(level.name, [row.counts[i] for row in provinces])
                    for i, level in enumerate(result.levels)])
    return context


def _competency_table(context: dict) -> Table:
    result = context["map"]
    header = [_("Instansi"), _("Provinsi"), *(level.name for level in result.levels),
              _("Jumlah")]
    return Table(header, [[row.name, row.province, *row.counts, row.total]
                          for row in result.agencies])


COMPETENCY = Report(
    "competency", gettext_lazy("Peta kompetensi"), "reports/competency.html",
    _competency_compute, _competency_present, _competency_table, allow_all=True,
    default_all=True)


def _competency(request: HttpRequest, export: bool) -> HttpResponse:
    return report_response(request, COMPETENCY, export=export)


@require_GET
@permission_required("reports.view")
def competency(request: HttpRequest) -> HttpResponse:
    return _competency(request, export=False)


@require_GET
@permission_required("reports.view")
def competency_export(request: HttpRequest) -> HttpResponse:
    return _competency(request, export=True)


REPORTS: dict[str, Report] = {r.name: r for r in (FUNNEL, UNITS, REACTION, MONEV, COMPETENCY)}


# -- large exports: a background job per request, downloaded only by whoever asked --------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_POST
@permission_required("reports.view")
def export_start(request: HttpRequest, kind: str) -> HttpResponse:
    report = REPORTS.get(kind)
    if report is None:
        raise Http404
    if not can(request.user, report.permission):
        raise PermissionDenied
    services.start_report_export(user=request.user, kind=kind, query=dict(request.GET.lists()))
    messages.success(request, _("Berkas ekspor sedang dibuat."))
    query = request.GET.urlencode()
    return redirect(reverse(f"reports:{kind}_export") + (f"?{query}" if query else ""))


@require_POST
@permission_required("reports.view")
def refresh(request: HttpRequest, kind: str) -> HttpResponse:
    """Compute a large report's stored figures again now (the filters in the query)."""
    report = REPORTS.get(kind)
    if report is None or not report.stored:
        raise Http404
    if not can(request.user, report.permission):
        raise PermissionDenied
    resolved = resolve(request.GET, user=request.user, allow_all=report.allow_all,
                       default_all=report.default_all)
    registrations = snapshot_selectors.registrations_under(resolved.criteria)
    if registrations > snapshot_selectors.LIVE_MAX_REGISTRATIONS:
        ask_for_figures(request, report, resolved.criteria, registrations)
        messages.success(request, _("Laporan sedang dihitung ulang."))
    query = request.GET.urlencode()
    return redirect(reverse(f"reports:{kind}") + (f"?{query}" if query else ""))


@require_GET
@permission_required("reports.view")
def export_file(request: HttpRequest, pk: int) -> HttpResponse:
    export = report_export(user=request.user, pk=pk)
    if not export.file:
        raise Http404
    try:
        handle = private_storage().open(export.file.name, "rb")
    except OSError as exc:
        raise Http404 from exc
    stamp = timezone.localtime(export.finished_at).date().isoformat()
    return FileResponse(handle, as_attachment=True, content_type=XLSX,
                        filename=f"laporan-{export.kind}-{stamp}.xlsx")
