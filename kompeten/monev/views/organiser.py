"""The organiser's pages: policy, questionnaire editor, waves overview, one wave's
invitations with revoke / resend (confirmed first), and evidence downloads."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kompeten.access.decorators import permission_required, role_required
from kompeten.access.rules import can
from kompeten.accounts.models import Role
from kompeten.common.paging import BATCHES_PER_PAGE, BatchFilter
from kompeten.monev import questionnaires, selectors, services, waves
from kompeten.monev.forms import ItemForm, PolicyForm, SectionForm
from kompeten.monev.models import Item, MilestoneStatus, MonevPolicy, Questionnaire, Section
from kompeten.monev.selectors import FREQUENCY_LABELS
from kompeten.monev.views.respond import LIKERT
from kompeten.programs.models import Level
from kompeten.programs.selectors import program_for


def _program(request: HttpRequest):
    return program_for(code=request.GET.get("tahun") or request.POST.get("tahun"))


def _errors(form) -> str:
    return " ".join(e for errors in form.errors.values() for e in errors)


@permission_required("monev.manage")
def settings_page(request: HttpRequest) -> HttpResponse:
    program = _program(request)
    policy = MonevPolicy.objects.filter(program=program).first() or MonevPolicy(program=program)
    form = PolicyForm(request.POST or None, initial={
        f: getattr(policy, f) for f in PolicyForm.base_fields})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_policy(program=program, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Ketentuan monev disimpan."))
            return HttpResponseRedirect(f"{reverse('monev:settings')}?tahun={program.code}")
    return render(request, "monev/settings.html", {"program": program, "form": form})


@permission_required("monev.manage")
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    program = _program(request)
    if request.method == "POST":
        questionnaires.ensure_defaults(program=program)
        messages.success(request, _("Kuesioner bawaan dibuat."))
        return HttpResponseRedirect(f"{reverse('monev:questionnaires')}?tahun={program.code}")
    return render(request, "monev/questionnaires.html", {
        "program": program,
        "questionnaires": list(Questionnaire.objects.filter(program=program)
                               .order_by("audience"))})


@permission_required("monev.manage")
def questionnaire_edit(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = get_object_or_404(Questionnaire.objects.select_related("program"), pk=pk)
    section_form = SectionForm(request.POST or None)
    if request.method == "POST":
        if section_form.is_valid():
            try:
                questionnaires.add_section(questionnaire=questionnaire,
                                           **section_form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
            else:
                messages.success(request, _("Bagian ditambahkan."))
                return HttpResponseRedirect(reverse("monev:questionnaire", args=[pk]))
        else:
            messages.error(request, _errors(section_form))
    full = selectors.questionnaire(program=questionnaire.program,
                                   audience=questionnaire.audience)
    for section in full.sections.all():
        section.item_form = ItemForm(auto_id=f"s{section.pk}-%s")
    return render(request, "monev/questionnaire.html", {
        "questionnaire": full, "program": questionnaire.program,
        "section_form": section_form})


def _item_data(form: ItemForm) -> questionnaires.ItemData:
    return questionnaires.ItemData(**form.cleaned_data)


@require_POST
@permission_required("monev.manage")
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    section = get_object_or_404(Section.objects.select_related("questionnaire"), pk=pk)
    form = ItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
    else:
        try:
            questionnaires.add_item(section=section, data=_item_data(form))
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Butir ditambahkan."))
    return HttpResponseRedirect(reverse("monev:questionnaire", args=[section.questionnaire_id])
                                + f"#bagian-{section.pk}")


@permission_required("monev.manage")
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Item.objects.select_related("section__questionnaire"), pk=pk)
    form = ItemForm(request.POST or None, initial={
        f: getattr(item, f) for f in ItemForm.base_fields})
    if request.method == "POST" and form.is_valid():
        try:
            questionnaires.update_item(item=item, data=_item_data(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Butir disimpan."))
            return HttpResponseRedirect(
                reverse("monev:questionnaire", args=[item.section.questionnaire_id])
                + f"#bagian-{item.section_id}")
    return render(request, "monev/item_edit.html", {"item": item, "form": form})


@require_POST
@permission_required("monev.manage")
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Item.objects.select_related("section"), pk=pk)
    try:
        questionnaires.delete_item(item=item)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Butir dihapus."))
    return HttpResponseRedirect(reverse("monev:questionnaire",
                                        args=[item.section.questionnaire_id]))


@permission_required("monev.manage")
def wave_list(request: HttpRequest) -> HttpResponse:
    program = _program(request)
    found = BatchFilter.from_request(request)
    show_all = request.GET.get("tampil") == "semua"
    chosen = selectors.waves_query(program=program,
                                   batches=found.apply(program.batches.all()),
                                   opened_by=None if show_all else timezone.localdate())
    page = Paginator(chosen, BATCHES_PER_PAGE).get_page(request.GET.get("halaman"))
    return render(request, "monev/waves.html", {
        "program": program, "levels": Level.objects.order_by("order"), "found": found,
        "keep": [("tampil", "semua")] if show_all else [], "show_all": show_all,
        "page": page, "waves": selectors.wave_rows(page.object_list),
        "totals": selectors.wave_totals(chosen), "policy": waves.policy_for(program)})


@require_POST
@permission_required("monev.manage")
def plan(request: HttpRequest) -> HttpResponse:
    program = _program(request)
    questionnaires.ensure_defaults(program=program)
    created = waves.plan_waves(program=program)
    messages.success(request, _("%(n)s gelombang dijadwalkan.") % {"n": created})
    return HttpResponseRedirect(f"{reverse('monev:waves')}?tahun={program.code}")


@permission_required("monev.manage")
def wave_detail(request: HttpRequest, pk: int) -> HttpResponse:
    wave = selectors.wave(pk=pk)
    return render(request, "monev/wave.html", {
        "wave": wave, "invitations": selectors.wave_invitations(wave),
        "closed": wave.closes_on < timezone.localdate()})


@permission_required("monev.manage")
def response_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One respondent's answers as they stand, read-only."""
    invitation = selectors.invitation(pk=pk)
    data = selectors.form(invitation)
    return render(request, "monev/form.html", {
        "form": data, "invitation": invitation, "wave": invitation.wave, "readonly": True,
        "is_open": False, "submitted": bool(data.response and data.response.submitted_at),
        "likert": LIKERT, "frequency": list(enumerate(FREQUENCY_LABELS, start=1)),
        "statuses": MilestoneStatus.choices, "back": reverse("monev:wave",
                                                             args=[invitation.wave_id])})


def _confirm(request: HttpRequest, pk: int, *, action: str) -> HttpResponse:
    invitation = selectors.invitation(pk=pk)
    back = reverse("monev:wave", args=[invitation.wave_id])
    if request.method == "POST":
        try:
            if action == "revoke":
                waves.revoke(invitation=invitation)
                messages.success(request, _("Tautan %(name)s dicabut.")
                                 % {"name": invitation.name})
            else:
                waves.resend(invitation=invitation)
                messages.success(request, _("Tautan baru dikirim ke %(email)s.")
                                 % {"email": invitation.email})
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        return HttpResponseRedirect(back)
    return render(request, "monev/confirm.html", {
        "invitation": invitation, "action": action, "back": back})


@permission_required("monev.manage")
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirm(request, pk, action="revoke")


@permission_required("monev.manage")
def resend(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirm(request, pk, action="resend")


@never_cache
@role_required(Role.ORGANISER, Role.PARTICIPANT)
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    row = selectors.evidence_answer(pk=pk)
    if not can(request.user, "monev.evidence", row.response.invitation.registration):
        raise Http404
    stored = row.evidence
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=stored.original_name,
                            content_type=stored.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
