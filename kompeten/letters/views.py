import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kompeten.access.decorators import organiser_required, role_required
from kompeten.accounts.models import Role
from kompeten.common.pagecache import user_page
from kompeten.common.storage import serve
from kompeten.letters import content, pdf, selectors, services
from kompeten.letters.forms import AgencyLetterFilter, LetterSettingsForm, SendForm
from kompeten.letters.models import AnnouncementLetter
from kompeten.programs.models import Agency
from kompeten.programs.selectors import current_program


def _program_or_404():
    program = current_program()
    if program is None:
        raise Http404
    return program


NOWRAP = {"td": {"class": "text-nowrap"}}


class AgencyLetterTable(tables.Table):
    # The cells are drawn by the table's template (one loop, no per-cell render call);
    # the columns give the headers and the sorting.
    name = tables.Column(verbose_name=gettext_lazy("Instansi"), order_by=("name",))
    kind = tables.Column(verbose_name=gettext_lazy("Jenis"))
    province = tables.Column(verbose_name=gettext_lazy("Provinsi"))
    letter_number = tables.Column(verbose_name=gettext_lazy("Nomor surat"),
                                  order_by=("letter_seq",), attrs=NOWRAP)
    letter_status = tables.Column(verbose_name=gettext_lazy("Status"))
    letter_sent_at = tables.Column(verbose_name=gettext_lazy("Dikirim"), attrs=NOWRAP)
    actions = tables.Column(verbose_name=gettext_lazy("PDF"), orderable=False, attrs=NOWRAP,
                            empty_values=())

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle", "id": "letter-table"}
        template_name = "letters/_agency_table.html"


@organiser_required
@user_page()
def overview(request: HttpRequest) -> HttpResponse:
    program = _program_or_404()
    filterset = AgencyLetterFilter(request.GET or None,
                                   queryset=selectors.agencies_with_letters(program=program))
    table = AgencyLetterTable(filterset.qs, order_by=request.GET.get("sort", "name"))
    tables.RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "letters/overview.html", {
        "program": program, "filter": filterset, "table": table,
        "summary": selectors.summary(program=program),
        "jobs": selectors.recent_jobs(program=program),
        "active_job": selectors.active_job(program=program),
        "send_form": SendForm(), "filtered": bool(request.GET.dict().keys() - {"page", "sort"}),
    })


@organiser_required
def edit_settings(request: HttpRequest) -> HttpResponse:
    program = _program_or_404()
    letter_settings = services.ensure_settings(program=program)
    form = LetterSettingsForm(request.POST or None, instance=letter_settings)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_settings(letter_settings=letter_settings,
                                     changes=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Pengaturan surat pemberitahuan disimpan."))
            return redirect("letters:settings")
    sample = Agency.objects.order_by("name").first()
    return render(request, "letters/settings.html",
                  {"program": program, "form": form, "sample": sample})


@require_POST
@organiser_required
def send(request: HttpRequest) -> HttpResponse:
    program = _program_or_404()
    form = SendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih sasaran pengiriman."))
        return redirect("letters:overview")
    if not form.cleaned_data["confirm"] and selectors.active_job(program=program) is None:
        return render(request, "letters/send_confirm.html", {
            "program": program, "scope": form.cleaned_data["scope"],
            "scope_label": dict(form.fields["scope"].choices)[form.cleaned_data["scope"]],
            "preview": selectors.send_preview(program=program,
                                              scope=form.cleaned_data["scope"])})
    try:
        job = services.start_send_job(program=program, by=request.user,
                                      scope=form.cleaned_data["scope"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("letters:overview")
    return redirect("letters:job", pk=job.pk)


@organiser_required
def job(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.job(pk=pk)
    return render(request, "letters/job.html",
                  {"job": found, "failed": selectors.failed_letters(job=found)})


@organiser_required
def job_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Cancel or retry a job: GET asks first (what will happen), POST does it."""
    found = selectors.job(pk=pk)
    if request.method == "POST":
        act = services.cancel_job if action == "cancel" else services.retry_job
        try:
            act(job=found, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Pengiriman dibatalkan.") if action == "cancel"
                             else _("Pengiriman diulang untuk surat yang belum terkirim."))
        return redirect("letters:job", pk=found.pk)
    return render(request, "letters/job_confirm.html", {
        "job": found, "action": action, "retry_count": selectors.retry_count(job=found)})


@organiser_required
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment the job page polls (htmx) until the job has finished."""
    found = selectors.job(pk=pk)
    return render(request, "letters/_job_progress.html",
                  {"job": found, "failed": selectors.failed_letters(job=found)})


def _pdf_response(data: bytes, name: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    kind = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{kind}; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@organiser_required
def preview(request: HttpRequest, agency_pk: int) -> HttpResponse:
    """The agency's letter as it would be sent now (no number taken while it has none)."""
    program = _program_or_404()
    agency = get_object_or_404(Agency, pk=agency_pk)
    letter_settings = services.ensure_settings(program=program)
    facts = content.program_facts(program=program)
    letter = AnnouncementLetter.objects.filter(program=program, agency=agency).first()
    if letter is None:
        letter_content = content.draft(letter_settings=letter_settings, facts=facts,
                                       agency=agency)
    else:
        letter_content = content.compose(letter_settings=letter_settings, facts=facts,
                                          agency=agency, number=letter.number, date=letter.date)
    return _pdf_response(pdf.render_letter(letter_content),
                         pdf.filename(agency_code=agency.code, year=program.year),
                         attachment=False)


@role_required(Role.ORGANISER, Role.OPERATOR)
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """A numbered letter: the PDF exactly as e-mailed (a 404 page saying so when the stored
    file is missing: never drawn again, it could differ from the one e-mailed); a letter never
    e-mailed yet has no stored PDF and is drawn as it will be sent. Operators get their own
    agency's only (another agency's letter is a 404)."""
    letter = selectors.letter_for(user=request.user, pk=pk)
    name = pdf.filename(agency_code=letter.agency.code, year=letter.program.year)
    if letter.pdf:
        return serve(request, letter.pdf, filename=name, content_type="application/pdf")
    letter_settings = services.ensure_settings(program=letter.program)
    letter_content = content.compose(
        letter_settings=letter_settings, facts=content.program_facts(program=letter.program),
        agency=letter.agency, number=letter.number, date=letter.date)
    return _pdf_response(pdf.render_letter(letter_content), name, attachment=True)


@role_required(Role.OPERATOR)
def mine(request: HttpRequest) -> HttpResponse:
    """The operator's agency's announcement letter of the current programme."""
    program = current_program()
    letter = selectors.agency_letter(user=request.user, agency=request.user.agency,
                                     program=program)
    return render(request, "letters/mine.html",
                  {"program": program, "letter": letter, "agency": request.user.agency,
                   "nomination_url": content.nomination_url()})
