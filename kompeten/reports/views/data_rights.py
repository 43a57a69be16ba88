"""Data rights (UU PDP 27/2022): the participant downloads their data and asks for a
correction; the organiser handles the requests, sets the retention period and erases."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kompeten.access.decorators import permission_required
from kompeten.programs.selectors import program_for
from kompeten.registration.models import Registration
from kompeten.reports import services
from kompeten.reports.forms import CorrectionForm, EraseForm, HandleCorrectionForm, RetentionForm
from kompeten.reports.models import CorrectionRequest, CorrectionStatus, DataRightsLog, Erasure
from kompeten.reports.pdf import personal_data_pdf
from kompeten.reports.selectors.personal import personal_data, registrations_of_person
from kompeten.reports.selectors.retention import erasable_from, programme_end, retention_years


def _first(errors: ValidationError) -> str:
    return errors.messages[0]


@require_GET
@permission_required("reports.my_data")
def my_data(request: HttpRequest) -> HttpResponse:
    registrations = registrations_of_person(request.user)
    return render(request, "reports/my_data.html", {
        "registrations": registrations,
        "form": CorrectionForm(registrations=registrations),
        "requests": CorrectionRequest.objects.filter(registration__user=request.user)
        .select_related("registration__program"),
    })


@require_GET
@permission_required("reports.my_data")
def my_data_json(request: HttpRequest) -> HttpResponse:
    data = personal_data(request.user).as_json()
    services.log_export(user=request.user, kind="json")
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2, default=str),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="data-pribadi.json"'
    return response


@require_GET
@permission_required("reports.my_data")
def my_data_pdf(request: HttpRequest) -> HttpResponse:
    pdf = personal_data_pdf(personal_data(request.user),
                            name=request.user.get_full_name() or request.user.username)
    services.log_export(user=request.user, kind="pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="data-pribadi.pdf"'
    return response


@require_POST
@permission_required("reports.my_data")
def correction_request(request: HttpRequest) -> HttpResponse:
    registrations = registrations_of_person(request.user)
    form = CorrectionForm(request.POST, registrations=registrations)
    if form.is_valid():
        registration = next(r for r in registrations
                            if r.pk == form.cleaned_data["registration"])
        try:
            services.request_correction(registration=registration, by=request.user,
                                        text=form.cleaned_data["text"])
        except ValidationError as exc:
            messages.error(request, _first(exc))
        else:
            messages.success(request, _("Permintaan koreksi terkirim ke penyelenggara."))
    else:
        messages.error(request, _("Permintaan koreksi belum lengkap: pilih pendaftaran dan "
                                  "tuliskan perbaikannya."))
    return redirect("reports:my_data")


@require_GET
@permission_required("reports.data_rights")
def corrections(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("status", CorrectionStatus.OPEN)
    rows = CorrectionRequest.objects.select_related(
        "registration__program", "registration__agency", "handled_by")
    if show in CorrectionStatus.values:
        rows = rows.filter(status=show)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "reports/corrections.html", {
        "page": page, "show": show, "statuses": CorrectionStatus.choices,
        "form": HandleCorrectionForm(),
        "log": DataRightsLog.objects.select_related("by")[:30],
    })


@require_POST
@permission_required("reports.data_rights")
def correction_handle(request: HttpRequest, pk: int) -> HttpResponse:
    correction = get_object_or_404(CorrectionRequest, pk=pk)
    form = HandleCorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih hasil penanganan."))
    else:
        try:
            services.handle_correction(request=correction, by=request.user,
                                       status=form.cleaned_data["status"],
                                       response=form.cleaned_data["response"])
        except ValidationError as exc:
            messages.error(request, _first(exc))
        else:
            messages.success(request, _("Permintaan koreksi ditangani."))
    return redirect("reports:corrections")


@require_GET
@permission_required("reports.data_rights")
def people(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    rows = Registration.objects.none()
    if query:
        condition = Q(full_name__icontains=query) | Q(plain_name__icontains=query)
        if query.isdigit():
            condition |= Q(nip__startswith=query)
        rows = Registration.objects.filter(condition).select_related(
            "program", "agency", "level", "erasure").order_by("plain_name", "pk")
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "reports/people.html", {"query": query, "page": page})


@require_http_methods(["GET", "POST"])
@permission_required("reports.data_rights")
def erase(request: HttpRequest, pk: int) -> HttpResponse:
    registration = get_object_or_404(Registration.objects.select_related("program", "agency"),
                                     pk=pk)
    if request.method == "POST":
        form = EraseForm(request.POST)
        token = form.data.get("token", "") if form.is_valid() else ""
        try:
            services.erase_person(registration=registration, by=request.user, token=token)
        except ValidationError as exc:
            services.log_refused_erasure(registration=registration, by=request.user,
                                         reason=_first(exc))
            messages.error(request, _first(exc))
            return redirect("reports:erase", pk=registration.pk)
        messages.success(request, _("Data pribadi dihapus; statistik anonim tetap tersimpan."))
        return redirect("reports:people")
    rows = services.person_registrations(registration)
    today = timezone.localdate()
    blocked = None
    try:
        services.check_erasable(registration=registration, today=today)
    except ValidationError as exc:
        blocked = _first(exc)
    return render(request, "reports/erase.html", {
        "registration": registration, "rows": [(r, erasable_from(r.program)) for r in rows],
        "blocked": blocked,
        "form": EraseForm(initial={"token": services.erase_token(registration=registration,
                                                                 by=request.user)}),
        "erased": Erasure.objects.filter(registration=registration).first(),
    })


@require_http_methods(["GET", "POST"])
@permission_required("reports.data_rights")
def retention(request: HttpRequest) -> HttpResponse:
    program = program_for(code=request.GET.get("tahun"))
    form = RetentionForm(request.POST or None,
                         initial={"retention_years": retention_years(program)})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_retention(program=program,
                                   retention_years=form.cleaned_data["retention_years"])
        except ValidationError as exc:
            messages.error(request, _first(exc))
        else:
            messages.success(request, _("Masa retensi disimpan."))
            return redirect(f"{request.path}?tahun={program.code}")
    return render(request, "reports/retention.html", {
        "program": program, "form": form, "end": programme_end(program),
        "erasable": erasable_from(program)})


