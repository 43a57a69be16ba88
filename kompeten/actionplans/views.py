"""The action plan pages: the participant's own (view, edit, PDF) and, for organisers and
agency operators, any registration they may see (view, PDF)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kompeten.access.decorators import role_required
from kompeten.accounts.models import Role
from kompeten.actionplans import plans as action_plans
from kompeten.actionplans.forms import PlanForm, milestone_formset, milestone_initial, posted_rows
from kompeten.actionplans.pdf import action_plan_pdf
from kompeten.programs.selectors import current_program
from kompeten.registration import selectors
from kompeten.registration.models import EDITABLE_STATUSES, Registration


def _own(request: HttpRequest) -> Registration:
    registration = selectors.own_registration(user=request.user, program=current_program())
    if registration is None:
        raise Http404
    return registration


def _plan_page(request: HttpRequest, registration: Registration, *, own: bool) -> HttpResponse:
    plan = action_plans.plan_for(registration)
    return render(request, "actionplans/action_plan.html", {
        "registration": registration, "plan": plan, "own": own,
        "can_edit": own and registration.status in EDITABLE_STATUSES,
        "gantt": action_plans.gantt(plan) if plan else None,
        "runs": action_plans.horizon_runs(plan) if plan else [],
    })


def _pdf_response(registration: Registration) -> HttpResponse:
    plan = action_plans.plan_for(registration)
    response = HttpResponse(action_plan_pdf(registration=registration, plan=plan),
                            content_type="application/pdf")
    name = slugify(f"rtl-{registration.plain_name}-{registration.nip}") or "rtl"
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@role_required(Role.PARTICIPANT)
def my_action_plan(request: HttpRequest) -> HttpResponse:
    return _plan_page(request, _own(request), own=True)


@role_required(Role.PARTICIPANT)
def my_action_plan_pdf(request: HttpRequest) -> HttpResponse:
    return _pdf_response(_own(request))


@role_required(Role.ORGANISER, Role.OPERATOR)
def action_plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, selectors.registration_for(user=request.user, pk=pk), own=False)


@role_required(Role.ORGANISER, Role.OPERATOR)
def action_plan_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _pdf_response(selectors.registration_for(user=request.user, pk=pk))


def _forms_for_get(registration: Registration):
    plan = action_plans.plan_for(registration)
    if plan is None:
        return PlanForm(), milestone_formset(extra=4)
    plan_form = PlanForm(initial={"title": plan.title, "background": plan.background,
                                  "problem": plan.problem, "goals": plan.goals,
                                  "benefits": plan.benefits})
    rows = milestone_initial(action_plans.milestone_inputs(plan))
    return plan_form, milestone_formset(initial=rows, extra=1)


def _apply_errors(exc: ValidationError, plan_form: PlanForm, row_forms: list) -> list[str]:
    """Put the service's errors next to the field or the row they concern."""
    general: list[str] = []
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    for key, errors in exc.message_dict.items():
        if key in plan_form.fields:
            plan_form.add_error(key, errors)
        elif key.startswith("milestone_") and key[10:].isdigit() \
                and 0 < int(key[10:]) <= len(row_forms):
            row_forms[int(key[10:]) - 1].add_error(None, errors)
        else:
            general.extend(errors)
    return general


@role_required(Role.PARTICIPANT)
def edit_action_plan(request: HttpRequest) -> HttpResponse:
    registration = _own(request)
    if registration.status not in EDITABLE_STATUSES:
        messages.error(request, _("Rencana tindak lanjut tidak dapat diubah lagi karena "
                                  "pendaftaran sudah dikirim."))
        return redirect("actionplans:my_action_plan")
    general_errors: list[str] = []
    if request.method != "POST":
        plan_form, formset = _forms_for_get(registration)
    elif "add_row" in request.POST:
        # No JavaScript needed: show what was typed again, with one more empty row.
        plan_form = PlanForm(initial={name: request.POST.get(name, "")
                                      for name in PlanForm.base_fields})
        formset = milestone_formset(initial=posted_rows(request.POST), extra=1)
    else:
        plan_form = PlanForm(request.POST)
        formset = milestone_formset(data=request.POST)
        if plan_form.is_valid() and formset.is_valid():
            kept = [form for form in formset.forms
                    if not form.cleaned_data.get("DELETE") and not form.is_blank()]
            try:
                action_plans.save_action_plan(
                    registration=registration, plan=plan_form.to_input(),
                    milestones=[form.to_input() for form in kept])
            except ValidationError as exc:
                general_errors = _apply_errors(exc, plan_form, kept)
            else:
                messages.success(request, _("Rencana tindak lanjut tersimpan."))
                return redirect("actionplans:my_action_plan")
        else:
            general_errors = list(formset.non_form_errors())
        if not general_errors and (plan_form.errors or any(formset.errors)):
            general_errors = [_("Periksa isian yang ditandai di bawah; isian Anda belum "
                                "disimpan.")]
    return render(request, "actionplans/action_plan_edit.html", {
        "registration": registration, "plan_form": plan_form, "formset": formset,
        "general_errors": general_errors})
