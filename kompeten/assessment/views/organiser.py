"""The organiser's pages: policy, oral questions, the batches' progress, assignment of
assessors, appeal panels and the sidang penetapan."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompeten.access.decorators import permission_required
from kompeten.accounts.models import Role, User
from kompeten.assessment import decisions, selectors, services
from kompeten.assessment.forms import (
    AssignForm,
    ImportForm,
    PanelForm,
    PolicyForm,
    QuestionForm,
    SidangForm,
)
from kompeten.assessment.models import Appeal, Assignment, OralQuestion
from kompeten.assessment.oral_import import OralImportError, import_oral_questions
from kompeten.assessment.views.assessor import record_context
from kompeten.common import uploads
from kompeten.common.paging import batch_page
from kompeten.common.upload_limits import capped_uploads
from kompeten.programs.models import Batch, Level, ProgramUnit
from kompeten.programs.selectors import program_for

manage = permission_required("assessment.manage")


def _batch(pk: int) -> Batch:
    return get_object_or_404(Batch.objects.select_related("program", "level"), pk=pk)


def _batch_url(batch: Batch) -> str:
    return reverse("assessment:batch", args=[batch.pk])


@manage
def overview(request: HttpRequest) -> HttpResponse:
    program = program_for(code=request.GET.get("tahun"))
    page, found = batch_page(request, program.batches.all())
    return render(request, "assessment/overview.html", {
        "program": program, "page": page, "found": found,
        "levels": Level.objects.order_by("order"),
        "rows": selectors.program_batches(program, page.object_list),
        "policy": selectors.policy_for(program)})


@manage
def settings_page(request: HttpRequest) -> HttpResponse:
    program = program_for(code=request.GET.get("tahun"))
    policy = selectors.policy_for(program)
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_policy(program=program, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Ketentuan asesmen disimpan."))
            return redirect(reverse("assessment:settings") + f"?tahun={program.code}")
    return render(request, "assessment/settings.html", {"program": program, "form": form})


@manage
def questions(request: HttpRequest) -> HttpResponse:
    program = program_for(code=request.GET.get("tahun"))
    units = list(ProgramUnit.objects.filter(qualification__program=program)
                 .select_related("qualification").order_by("qualification__level__order",
                                                           "qualification__name", "order"))
    by_unit: dict[int, list[OralQuestion]] = {}
    for question in OralQuestion.objects.filter(unit__in=units).order_by("order"):
        by_unit.setdefault(question.unit_id, []).append(question)
    form = QuestionForm(request.POST or None)
    if request.method == "POST":
        unit = next((u for u in units if str(u.pk) == request.POST.get("unit")), None)
        if form.is_valid() and unit is None:
            form.add_error(None, _("Pilih unit kompetensi."))
        elif form.is_valid():
            services.add_question(unit=unit, question=form.cleaned_data["question"],
                                  expected_answer=form.cleaned_data["expected_answer"])
            messages.success(request, _("Pertanyaan ditambahkan."))
            return redirect(reverse("assessment:questions")
                            + f"?tahun={program.code}#unit-{unit.pk}")
    rows = [(unit, by_unit.get(unit.pk, [])) for unit in units]
    return render(request, "assessment/questions.html",
                  {"program": program, "rows": rows, "form": form, "units": units})


@capped_uploads(setting="IMPORT_MAX_BYTES")
@manage
def questions_import(request: HttpRequest) -> HttpResponse:
    program = program_for(code=request.GET.get("tahun"))
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            content = uploads.read_limited(upload, max_bytes=settings.IMPORT_MAX_BYTES)
            count = import_oral_questions(program=program, content=content,
                                          filename=upload.name or "")
        except ValidationError as exc:
            form.add_error("file", exc)
        except OralImportError as exc:
            report = exc
        else:
            messages.success(request, _("%(count)s pertanyaan diimpor.") % {"count": count})
            return redirect(reverse("assessment:questions") + f"?tahun={program.code}")
    return render(request, "assessment/questions_import.html",
                  {"program": program, "form": form, "report": report})


@manage
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(OralQuestion.objects.select_related(
        "unit__qualification__program"), pk=pk)
    program = question.unit.qualification.program
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        services.update_question(question=question, text=form.cleaned_data["question"],
                                 expected_answer=form.cleaned_data["expected_answer"])
        messages.success(request, _("Pertanyaan disimpan."))
        return redirect(reverse("assessment:questions")
                        + f"?tahun={program.code}#unit-{question.unit_id}")
    return render(request, "assessment/question_edit.html",
                  {"question": question, "form": form, "program": program})


@manage
@require_POST
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(OralQuestion.objects.select_related(
        "unit__qualification__program"), pk=pk)
    try:
        services.delete_question(question=question)
        messages.success(request, _("Pertanyaan dihapus."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("assessment:questions")
                    + f"?tahun={question.unit.qualification.program.code}")


@manage
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(pk)
    participants, units, latest = selectors.batch_matrix(batch)
    rows = []
    for registration in participants:
        own = [latest.get((registration.pk, u.pk)) for u in units
               if u.qualification_id == registration.qualification_id]
        rows.append({"registration": registration,
                     "assignment": getattr(registration, "assessment_assignment", None),
                     "consent": getattr(registration, "assessment_consent", None),
                     "units": len(own), "signed": sum(1 for d in own if d and d.signed_at),
                     "k": sum(1 for d in own if d and d.signed_at and d.verdict == "K")})
    sidang = getattr(batch, "sidang", None) if hasattr(batch, "sidang") else None
    return render(request, "assessment/batch.html", {
        "batch": batch, "rows": rows, "assessors": list(selectors.batch_assessors(batch)),
        "appeals": list(selectors.batch_appeals(batch)), "sidang": sidang,
        "sidang_form": SidangForm(initial={"held_on": min(batch.end_date,
                                                           timezone.localdate())}),
        "missing": decisions.missing_decisions(batch) if sidang is None else 0,
        "policy": selectors.policy_for(batch.program),
        "candidates": list(User.objects.filter(role=Role.ASSESSOR, is_active=True)
                           .order_by("first_name", "username"))})


@manage
def record(request: HttpRequest, pk: int, registration_pk: int) -> HttpResponse:
    """The organiser reads a participant's record (read-only: decisions are the
    assessor's)."""
    batch = _batch(pk)
    assignment = (Assignment.objects.select_related(
        "registration__agency", "registration__qualification", "batch", "assessor")
        .filter(batch=batch, registration_id=registration_pk).first())
    if assignment is None:
        raise Http404
    return render(request, "assessment/participant.html", record_context(
        assignment, locked=True, released=hasattr(batch, "sidang")))


@manage
@require_POST
def auto_assign(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(pk)
    try:
        result = services.auto_assign(batch=batch)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(count)s peserta mendapat asesor.")
                         % {"count": result.assigned})
        if result.unassigned:
            messages.warning(request, _(
                "%(count)s peserta belum mendapat asesor: tambah asesor angkatan (bukan dari "
                "instansi peserta) atau ubah rasio.") % {"count": len(result.unassigned)})
    return redirect(_batch_url(batch))


@manage
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(pk)
    form = AssignForm(request.POST)
    if form.is_valid():
        registration = selectors.batch_participants(batch).filter(
            pk=form.cleaned_data["registration"]).first()
        assessor = User.objects.filter(pk=form.cleaned_data["assessor"]).first()
        if registration is None or assessor is None:
            raise Http404
        try:
            services.assign(registration=registration, assessor=assessor)
            messages.success(request, _("Asesor ditetapkan."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect(_batch_url(batch))


@manage
@require_POST
def sidang(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(pk)
    form = SidangForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(_batch_url(batch))
    try:
        decisions.hold_sidang(batch=batch, by=request.user, **form.cleaned_data)
        messages.success(request, _("Sidang penetapan dicatat; hasil angkatan dikunci dan "
                                    "diumumkan kepada peserta."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_batch_url(batch))


@manage
@require_POST
def appeal_panel(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = get_object_or_404(Appeal.objects.select_related("registration", "first_assessor"),
                               pk=pk)
    batch = selectors.batch_of(appeal.registration)
    form = PanelForm(request.POST)
    panel = (User.objects.filter(pk=form.cleaned_data["panel"]).first()
             if form.is_valid() else None)
    if panel is None:
        messages.error(request, _("Pilih panel banding."))
    else:
        try:
            decisions.assign_panel(appeal=appeal, panel=panel)
            messages.success(request, _("Panel banding ditetapkan."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect(_batch_url(batch) + "#appeals")

