"""The organiser's question bank per competency unit, its Excel import, the item
statistics and the programme's exam settings."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kompeten.access.decorators import permission_required
from kompeten.common import uploads
from kompeten.common.upload_limits import capped_uploads
from kompeten.exam import selectors, services
from kompeten.exam.forms import ImportForm, PolicyForm, QuestionForm
from kompeten.exam.models import ExamPolicy
from kompeten.exam.question_import import QuestionImportError, import_questions, template_bytes
from kompeten.programs.selectors import program_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _program(request: HttpRequest):
    return program_for(code=request.GET.get("tahun") or request.POST.get("tahun"))


@require_GET
@permission_required("exam.bank")
def units(request: HttpRequest) -> HttpResponse:
    program = _program(request)
    return render(request, "exam/bank.html", {
        "program": program, "units": selectors.program_units(program),
        "policy": selectors.policy_of(program)})


@require_GET
@permission_required("exam.bank")
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_of(pk=pk)
    return render(request, "exam/unit.html", {
        "unit": unit, "program": unit.qualification.program,
        "questions": list(selectors.unit_questions(unit)),
        "retired": list(selectors.unit_questions(unit, retired=True)),
        "import_form": ImportForm()})


def _image(request: HttpRequest, form: QuestionForm):
    upload = form.cleaned_data.get("image")
    if not upload:
        return None
    data, detected = uploads.inspect_upload(upload=upload, allowed=uploads.IMAGES,
                                            max_bytes=settings.UPLOAD_MAX_BYTES)
    return uploads.save_checked(data=data, detected=detected, original_name=upload.name,
                                by=request.user)


def _question_form(request: HttpRequest, *, unit, question=None) -> HttpResponse:
    initial = QuestionForm.initial_for(question) if question else {"kind": "mc",
                                                                     "max_points": 10}
    form = QuestionForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            image = _image(request, form)  # checked outside the transaction
        except ValidationError as exc:
            form.add_error("image", exc)
            return render(request, "exam/question_form.html", {
                "form": form, "unit": unit, "question": question})
        try:
            data = form.data_object()
            if question is None:
                services.create_question(unit=unit, data=data, by=request.user, image=image)
                messages.success(request, _("Soal ditambahkan."))
            else:
                saved = services.edit_question(question=question, data=data, by=request.user,
                                               image=image,
                                               drop_image=form.cleaned_data["drop_image"])
                messages.success(request, _("Soal diubah.") if saved.pk == question.pk else _(
                    "Soal sudah dipakai dalam ujian: perubahan disimpan sebagai versi %(v)s.")
                    % {"v": saved.version})
        except ValidationError as exc:
            if image is not None:  # nothing refers to it: not kept
                uploads.discard(image)
                image.delete()
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    target = {"options": "option_1"}.get(field, field)
                    form.add_error(target if target in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            return HttpResponseRedirect(reverse("exam:unit", args=[unit.pk]))
    return render(request, "exam/question_form.html", {"form": form, "unit": unit,
                                                       "question": question})


@capped_uploads
@permission_required("exam.bank")
def add(request: HttpRequest, pk: int) -> HttpResponse:
    return _question_form(request, unit=selectors.unit_of(pk=pk))


@capped_uploads
@permission_required("exam.bank")
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.question_of(pk=pk)
    if question.retired_at is not None:
        messages.error(request, _("Soal ini sudah dipensiunkan atau diganti versi baru."))
        return HttpResponseRedirect(reverse("exam:unit", args=[question.unit_id]))
    return _question_form(request, unit=question.unit, question=question)


@require_POST
@permission_required("exam.bank")
def retire(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.question_of(pk=pk)
    try:
        services.retire_question(question=question, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Soal dipensiunkan: tidak dipakai lagi di ujian baru."))
    return HttpResponseRedirect(reverse("exam:unit", args=[question.unit_id]))


@capped_uploads(setting="IMPORT_MAX_BYTES")
@permission_required("exam.bank")
def import_file(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_of(pk=pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            content = uploads.read_limited(upload, max_bytes=settings.IMPORT_MAX_BYTES)
            result = import_questions(unit=unit, content=content, filename=upload.name or "",
                                      by=request.user, dry_run=form.cleaned_data["dry_run"])
        except ValidationError as exc:
            form.add_error("file", exc)
        except QuestionImportError as exc:
            report = exc
        else:
            messages.success(request, result.summary())
            if not result.dry_run:
                return HttpResponseRedirect(reverse("exam:unit", args=[unit.pk]))
    return render(request, "exam/import.html", {"unit": unit, "form": form, "report": report})


@require_GET
@permission_required("exam.bank")
def template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_bytes(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="templat-soal.xlsx"'
    return response


@require_GET
@permission_required("exam.bank")
def statistics(request: HttpRequest) -> HttpResponse:
    program = _program(request)
    return render(request, "exam/statistics.html", {
        "program": program, "stats": selectors.item_statistics(program=program)})


@permission_required("exam.bank")
def policy(request: HttpRequest) -> HttpResponse:
    program = _program(request)
    instance = ExamPolicy.objects.filter(program=program).first() or ExamPolicy(program=program)
    form = PolicyForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_policy(program=program, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Ketentuan ujian disimpan."))
            return HttpResponseRedirect(reverse("exam:bank") + f"?tahun={program.code}")
    return render(request, "exam/policy.html", {"program": program, "form": form})
