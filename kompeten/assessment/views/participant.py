"""The participant's page: self-assessment, consent to the plan, results after the sidang,
and the appeal form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompeten.access.decorators import permission_required
from kompeten.assessment import decisions, selectors, services
from kompeten.assessment.forms import AppealForm
from kompeten.assessment.models import Appeal, Sidang
from kompeten.programs.models import ProgramUnit
from kompeten.programs.selectors import current_program
from kompeten.registration.selectors import own_registration

participate = permission_required("assessment.participate")


def _registration(request: HttpRequest):
    registration = own_registration(user=request.user, program=current_program())
    if registration is None:
        raise Http404
    return registration


@participate
def mine(request: HttpRequest) -> HttpResponse:
    registration = own_registration(user=request.user, program=current_program())
    context = {"registration": registration}
    if registration is not None:
        batch = selectors.batch_of(registration)
        sidang = Sidang.objects.filter(batch=batch).first() if batch else None
        results = []
        if sidang is not None:
            latest = selectors.latest_decisions([registration.pk], signed_only=True)
            appeals = {a.unit_id: a for a in Appeal.objects.filter(registration=registration)}
            results = [(unit, latest.get((registration.pk, unit.pk)), appeals.get(unit.pk))
                       for unit in selectors.units_of(registration)]
        deadline = decisions.appeal_deadline(sidang) if sidang else None
        context.update({
            "batch": batch, "units": selectors.participant_units(registration),
            "assignment": selectors.assignment_of(registration),
            "consent": selectors.consent_of(registration),
            "policy": selectors.policy_for(registration.program), "sidang": sidang,
            "results": results, "deadline": deadline,
            "competent": sum(1 for _u, d, _a in results if d and d.verdict == "K"),
            "appeal_open": deadline is not None and timezone.localdate() <= deadline,
            "appeal_form": AppealForm()})
    return render(request, "assessment/mine.html", context)


@participate
@require_POST
def self_assess(request: HttpRequest) -> HttpResponse:
    registration = _registration(request)
    answers = {}
    for unit in selectors.units_of(registration):
        choice = request.POST.get(f"unit-{unit.pk}")
        if choice in ("yes", "no"):
            answers[unit.pk] = (choice == "yes",
                                request.POST.get(f"evidence-{unit.pk}", "")[:500])
    try:
        count = services.save_self_assessment(user=request.user, registration=registration,
                                              answers=answers)
        messages.success(request, _("Asesmen mandiri disimpan (%(count)s unit).")
                         % {"count": count})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("assessment:mine")


@participate
@require_POST
def consent(request: HttpRequest) -> HttpResponse:
    registration = _registration(request)
    try:
        services.accept_consent(user=request.user, registration=registration)
        messages.success(request, _("Persetujuan rencana asesmen dicatat."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("assessment:mine")


@participate
@require_POST
def appeal(request: HttpRequest, unit_pk: int) -> HttpResponse:
    registration = _registration(request)
    unit = ProgramUnit.objects.filter(pk=unit_pk,
                                      qualification_id=registration.qualification_id).first()
    form = AppealForm(request.POST)
    if unit is None:
        messages.error(request, _("Unit ini bukan unit kualifikasi Anda."))
    elif not form.is_valid():
        messages.error(request, _("Tuliskan alasan banding."))
    else:
        try:
            decisions.file_appeal(user=request.user, registration=registration, unit=unit,
                                  reason=form.cleaned_data["reason"])
            messages.success(request, _("Banding diajukan; panel akan memutusnya."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("assessment:mine")
