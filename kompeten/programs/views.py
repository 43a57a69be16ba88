import datetime as dt

import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kompeten.access.decorators import organiser_required, role_required
from kompeten.accounts.models import Role
from kompeten.common.pagecache import public_page
from kompeten.common.upload_limits import capped_uploads
from kompeten.programs import selectors, services
from kompeten.programs.calendar_feed import batches_ics
from kompeten.programs.forms import ProgramCopyForm, ScheduleFilterForm, ScheduleUploadForm
from kompeten.programs.masterdata import KINDS
from kompeten.programs.models import Program
from kompeten.programs.schedule_import import ScheduleFileError

SCHEDULE_PAGE = 100


def _program_from_query(request: HttpRequest):
    return selectors.program_for(code=request.GET.get("tahun"))


@public_page()
def schedule(request: HttpRequest) -> HttpResponse:
    program = _program_from_query(request)
    form = ScheduleFilterForm(request.GET or None)
    level = month = None
    if form.is_valid():
        level = form.cleaned_data["level"]
        month = form.cleaned_data["month"]
    batches = selectors.schedule_batches(
        program=program, level_code=level.code if level else None, month=month
    )
    # Paged: a national programme has thousands of batches (3,334 at 100,000 registrations:
    # 5.3 s and 860 kB as one page). Every batch stays findable by level, month, page, or
    # its number ("angkatan"), which opens the page that holds it.
    paginator = Paginator(batches, SCHEDULE_PAGE)
    number = request.GET.get("halaman")
    wanted = request.GET.get("angkatan", "").strip()
    missing = ""
    if wanted:
        position = selectors.schedule_position(batches=batches, number=wanted)
        if position is None:
            missing = wanted[:10]
        else:
            number = position // SCHEDULE_PAGE + 1
    page = paginator.get_page(number)
    # A plain template loop, not django-tables2: bench/ measured 92 ms per request
    # with a tables2 table of the 50 batches (per-cell introspection), 10x this.
    context = {"program": program, "form": form, "batches": list(page.object_list),
               "page": page, "pages": paginator.get_elided_page_range(page.number),
               "wanted": wanted[:10], "missing_batch": missing,
               "counts": selectors.batch_counts_by_level(program=program)}
    template = "programs/_schedule_table.html" if request.htmx else "programs/schedule.html"
    return render(request, template, context)


@public_page()
def schedule_calendar(request: HttpRequest) -> HttpResponse:
    program = _program_from_query(request)
    months = selectors.program_months(program=program)
    if not months:
        raise Http404
    try:
        month = dt.date.fromisoformat(request.GET.get("bulan", "") + "-01")
    except ValueError:
        month = months[0]
    form = ScheduleFilterForm(request.GET or None)
    level_code = None
    if form.is_valid() and form.cleaned_data["level"]:
        level_code = form.cleaned_data["level"].code
    index = months.index(month) if month in months else None
    context = {
        "program": program, "month": month, "months": months, "form": form,
        "weeks": selectors.month_calendar(program=program, month=month, level_code=level_code),
        "previous": months[index - 1] if index else None,
        "next": months[index + 1] if index is not None and index + 1 < len(months) else None,
        "level_code": level_code or "",
        "weekdays": ["Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"],
    }
    return render(request, "programs/calendar.html", context)


@public_page()
def schedule_ics(request: HttpRequest, code: str) -> HttpResponse:
    program = selectors.program_by_code(code=code)
    body = batches_ics(program=program)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="jadwal-{program.code}.ics"'
    return response


@organiser_required
@require_http_methods(["GET", "POST"])
@capped_uploads(setting="IMPORT_MAX_BYTES")
def schedule_import(request: HttpRequest) -> HttpResponse:
    errors = []
    form = ScheduleUploadForm(request.POST or None, request.FILES or None,
                              initial={"program": selectors.current_program()})
    if request.method == "POST" and form.is_valid():
        program = form.cleaned_data["program"]
        upload = form.cleaned_data["file"]
        try:
            result = services.import_schedule(
                program=program, content=upload.read(), filename=upload.name
            )
        except ScheduleFileError as exc:
            form.add_error("file", str(exc))
        except services.ScheduleImportRejected as exc:
            errors = exc.errors
        else:
            messages.success(request, _(
                "Jadwal diimpor: %(created)s angkatan baru, %(updated)s diperbarui."
            ) % {"created": result.created, "updated": result.updated})
            return redirect(f"{reverse('programs:schedule')}?tahun={program.code}")
    return render(request, "programs/schedule_import.html", {"form": form, "errors": errors})


def _kind_or_404(slug: str):
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404
    return kind


@organiser_required
def masterdata_index(request: HttpRequest) -> HttpResponse:
    counts = [(kind, kind.model.objects.count()) for kind in KINDS.values()]
    return render(request, "programs/masterdata/index.html", {"counts": counts})


@organiser_required
def masterdata_list(request: HttpRequest, kind: str) -> HttpResponse:
    spec = _kind_or_404(kind)
    filterset = spec.filterset_class()(request.GET or None, queryset=spec.queryset())
    table = spec.table_class()(filterset.qs)
    tables.RequestConfig(request, paginate={"per_page": 50}).configure(table)
    table.kind, table.cells = spec.slug, spec.cells(table.page.object_list.data)
    return render(request, "programs/masterdata/list.html",
                  {"spec": spec, "filter": filterset, "table": table})


@organiser_required
@require_http_methods(["GET", "POST"])
def masterdata_edit(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    spec = _kind_or_404(kind)
    instance = get_object_or_404(spec.model, pk=pk) if pk is not None else None
    form = spec.form_class()(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        record = services.save_master_record(form=form)
        messages.success(request, _("%(kind)s “%(record)s” tersimpan.")
                         % {"kind": spec.title, "record": record})
        return redirect("programs:masterdata_list", kind=spec.slug)
    return render(request, "programs/masterdata/edit.html",
                  {"spec": spec, "form": form, "instance": instance})


@organiser_required
@require_http_methods(["GET", "POST"])
def program_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy a programme to another year; the page itself is the confirmation."""
    source = get_object_or_404(Program, pk=pk)
    next_year = source.year + 1
    form = ProgramCopyForm(request.POST or None, initial={"year": next_year,
                                                           "code": str(next_year)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            copy = services.copy_program(source=source, year=data["year"], code=data["code"],
                                         name=data["name"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Penyelenggaraan %(code)s dibuat dari %(source)s.")
                             % {"code": copy.code, "source": source.code})
            return redirect(f"{reverse('programs:schedule')}?tahun={copy.code}")
    return render(request, "programs/program_copy.html", {
        "source": source, "form": form,
        "counts": {"stages": source.stages.count(), "batches": source.batches.count(),
                   "quotas": source.quotas.count(), "units": sum(
                       q.units.count() for q in source.qualifications.all())}})


@role_required(Role.ORGANISER, Role.OPERATOR)
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = selectors.agency_for(user=request.user, pk=pk)
    program = selectors.current_program()
    quotas = program.quotas.select_related("level") if program else []
    operators = agency.users.filter(role=Role.OPERATOR).order_by("username")
    return render(request, "programs/agency_detail.html",
                  {"agency": agency, "program": program, "quotas": quotas,
                   "operators": operators})
