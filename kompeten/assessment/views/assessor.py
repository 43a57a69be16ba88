"""The assessor's pages: their participants per batch, the decision page with the evidence
in view, and the appeals they sit on as panel."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompeten.access.decorators import permission_required
from kompeten.assessment import decisions, selectors, services
from kompeten.assessment.forms import (
    DecisionForm,
    EvidenceForm,
    ObservationForm,
    OralAnswerForm,
    PanelDecisionForm,
)
from kompeten.assessment.models import OralQuestion, Sidang
from kompeten.programs.models import ProgramUnit

assess = permission_required("assessment.assess")


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _participant_url(pk: int, anchor: str = "") -> str:
    return reverse("assessment:participant", args=[pk]) + (f"#{anchor}" if anchor else "")


@assess
def my_participants(request: HttpRequest) -> HttpResponse:
    return render(request, "assessment/my_participants.html", {
        "groups": selectors.assessor_batches(request.user),
        "appeals": list(selectors.appeals_for_panel(request.user))})


@assess
def participant(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assigned_registration(user=request.user, pk=pk)
    registration = assignment.registration
    return render(request, "assessment/participant.html", {
        "assignment": assignment, "registration": registration,
        "units": selectors.unit_evidence(registration),
        "portfolio": selectors.portfolio(registration),
        "consent": selectors.consent_of(registration),
        "locked": Sidang.objects.filter(batch_id=assignment.batch_id).exists(),
        "log": list(selectors.decision_log(registration))})


@assess
@require_POST
def decide_unit(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    assignment = selectors.assigned_registration(user=request.user, pk=pk)
    registration = assignment.registration
    unit = ProgramUnit.objects.filter(pk=unit_pk,
                                      qualification_id=registration.qualification_id).first()
    if unit is None:
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih K atau BK."))
        return redirect(_participant_url(pk, f"unit-{unit.pk}"))
    data = form.cleaned_data
    try:
        if data["action"] == "correct":
            decisions.correct_decision(assessor=request.user, registration=registration,
                                       unit=unit, verdict=data["verdict"], note=data["note"],
                                       feedback=data["feedback"], reason=data["reason"])
            messages.success(request, _("Koreksi disimpan sebagai versi baru."))
        else:
            decisions.save_decision(assessor=request.user, registration=registration,
                                    unit=unit, verdict=data["verdict"], note=data["note"],
                                    feedback=data["feedback"])
            if data["action"] == "sign":
                decisions.sign_decision(assessor=request.user, registration=registration,
                                        unit=unit)
                messages.success(request, _("Keputusan %(code)s ditandatangani.")
                                 % {"code": unit.code})
            else:
                messages.success(request, _("Draf keputusan %(code)s disimpan.")
                                 % {"code": unit.code})
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(_participant_url(pk, f"unit-{unit.pk}"))


@assess
@require_POST
def sign_all(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assigned_registration(user=request.user, pk=pk)
    try:
        count = decisions.sign_all(assessor=request.user, registration=assignment.registration)
        messages.success(request, _("%(count)s keputusan ditandatangani.") % {"count": count})
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(_participant_url(pk))


@assess
@require_POST
def oral_answer(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    assignment = selectors.assigned_registration(user=request.user, pk=pk)
    question = OralQuestion.objects.select_related("unit").filter(pk=question_pk).first()
    if question is None:
        raise Http404
    form = OralAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.record_oral_answer(assessor=request.user,
                                        registration=assignment.registration,
                                        question=question, **form.cleaned_data)
            messages.success(request, _("Jawaban lisan dicatat."))
        except ValidationError as exc:
            _errors(request, exc)
    return redirect(_participant_url(pk, f"unit-{question.unit_id}"))


@assess
@require_POST
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assigned_registration(user=request.user, pk=pk)
    form = EvidenceForm(request.POST)
    if form.is_valid():
        try:
            services.judge_evidence(assessor=request.user, registration=assignment.registration,
                                    **form.cleaned_data)
            messages.success(request, _("Penilaian bukti disimpan."))
        except ValidationError as exc:
            _errors(request, exc)
    return redirect(_participant_url(pk, "portfolio"))


@assess
@require_POST
def observation(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assigned_registration(user=request.user, pk=pk)
    form = ObservationForm(request.POST)
    if form.is_valid():
        try:
            services.save_observation(assessor=request.user,
                                      registration=assignment.registration,
                                      text=form.cleaned_data["observation"])
            messages.success(request, _("Catatan pengamatan disimpan."))
        except ValidationError as exc:
            _errors(request, exc)
    return redirect(_participant_url(pk, "observation"))


@assess
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = selectors.appeal_for_panel(user=request.user, pk=pk)
    form = PanelDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decisions.decide_appeal(user=request.user, appeal=appeal, **form.cleaned_data)
            messages.success(request, _("Putusan banding disimpan dan ditandatangani."))
            return redirect("assessment:appeal_decide", pk=appeal.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    registration = appeal.registration
    evidence = next((u for u in selectors.unit_evidence(registration)
                     if u.unit.pk == appeal.unit_id), None)
    return render(request, "assessment/appeal_decide.html", {
        "appeal": appeal, "registration": registration, "form": form, "evidence": evidence,
        "portfolio": selectors.portfolio(registration)})
