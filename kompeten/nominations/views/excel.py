"""Excel import of nominations, the template to fill in, and the filtered Excel export."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from kompeten.access.decorators import role_required
from kompeten.accounts.models import Role, User
from kompeten.common.storage import serve
from kompeten.common.upload_limits import capped_uploads
from kompeten.nominations import exports, selectors
from kompeten.nominations.excel_export import export_nominations
from kompeten.nominations.excel_import import NominationImportError, import_nominations
from kompeten.nominations.excel_template import build_template
from kompeten.nominations.forms import NominationUploadForm
from kompeten.nominations.models import ExportStatus
from kompeten.programs.models import Agency
from kompeten.programs.selectors import current_program

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The page lists this many bad rows; the count above the table gives the total.
ERRORS_SHOWN = 1000


def _program_or_404():
    program = current_program()
    if program is None:
        raise Http404
    return program


def _own_agency(user: User) -> Agency | None:
    """None for the organiser (any agency, by code); the operator's agency otherwise."""
    if user.role == Role.ORGANISER:
        return None
    if user.agency_id is None:
        raise Http404
    return user.agency


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
@role_required(Role.ORGANISER, Role.OPERATOR)
@capped_uploads(setting="IMPORT_MAX_BYTES")
def import_page(request: HttpRequest) -> HttpResponse:
    program = _program_or_404()
    agency = _own_agency(request.user)
    form = NominationUploadForm(request.POST or None, request.FILES or None)
    rejected = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_nominations(
                program=program, content=upload.read(), filename=upload.name, by=request.user,
                agency=agency, dry_run=form.cleaned_data["dry_run"])
        except NominationImportError as exc:
            if exc.errors:
                rejected = exc
            else:
                form.add_error("file", exc.message)
        else:
            if result.dry_run:
                messages.info(request, result.summary())
                return redirect("nominations:nomination_import")
            messages.success(request, result.summary())
            return redirect("nominations:nomination_list")
    quotas = selectors.quota_usage(program=program, agency=agency) if agency else []
    return render(request, "nominations/nomination_import.html", {
        "program": program, "agency": agency, "form": form, "quotas": quotas,
        "rejected": rejected,
        "errors_shown": rejected.errors[:ERRORS_SHOWN] if rejected else [],
    })


@require_GET
@role_required(Role.ORGANISER, Role.OPERATOR)
def template(request: HttpRequest) -> HttpResponse:
    program = _program_or_404()
    agency = _own_agency(request.user)
    suffix = f"-{slugify(agency.code)}" if agency else ""
    return _xlsx(build_template(program=program, agency=agency),
                 f"templat-usulan-{program.year}{suffix}.xlsx")


@require_http_methods(["GET", "POST"])
@role_required(Role.ORGANISER, Role.OPERATOR)
def export(request: HttpRequest) -> HttpResponse:
    """The filtered list as Excel: a small one at once (GET); a large one is prepared in the
    background (GET says so and asks; POST starts it and shows its progress)."""
    program = _program_or_404()
    _own_agency(request.user)
    if request.method == "POST":
        query = request.POST.get("query", "")
        export_job = exports.start_export(program=program, by=request.user, query=query)
        return redirect("nominations:export_job", pk=export_job.pk)
    query = request.GET.copy()
    for name in ("sort", "page"):
        query.pop(name, None)
    rows = exports.rows_of(user=request.user, program=program, query=query.urlencode())
    count = rows.count()
    if count <= exports.DIRECT_MAX:
        return _xlsx(export_nominations(registrations=rows),
                     exports.export_filename(program=program, user=request.user))
    return render(request, "nominations/export_start.html", {
        "program": program, "count": count, "query": query.urlencode(),
        "recent": exports.recent_exports(user=request.user)})


def _own_export(request: HttpRequest, pk: int):
    found = exports.export_for(user=request.user, pk=pk)
    if found is None:
        raise Http404
    return found


@require_GET
@role_required(Role.ORGANISER, Role.OPERATOR)
def export_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A background export's progress (the fragment is polled with htmx until it ends)."""
    found = _own_export(request, pk)
    template = ("nominations/_export_job.html" if request.headers.get("HX-Request")
                else "nominations/export_job.html")
    return render(request, template, {"export": found})


@require_GET
@role_required(Role.ORGANISER, Role.OPERATOR)
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The finished file, exactly as stored, to the user who asked for it only."""
    found = _own_export(request, pk)
    if found.status != ExportStatus.DONE:
        return redirect("nominations:export_job", pk=found.pk)
    response = serve(request, found.file, filename=found.filename, content_type=XLSX)
    return response
