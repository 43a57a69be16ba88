"""Excel import of nominations, the template to fill in, and the filtered Excel export."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from kompeten.access.decorators import role_required
from kompeten.accounts.models import Role, User
from kompeten.common.upload_limits import capped_uploads
from kompeten.nominations import selectors
from kompeten.nominations.excel_export import export_nominations
from kompeten.nominations.excel_import import NominationImportError, import_nominations
from kompeten.nominations.excel_template import build_template
from kompeten.nominations.filters import filtered_nominations
from kompeten.nominations.forms import NominationUploadForm
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


@require_GET
@role_required(Role.ORGANISER, Role.OPERATOR)
def export(request: HttpRequest) -> HttpResponse:
    program = _program_or_404()
    agency = _own_agency(request.user)
    filterset = filtered_nominations(user=request.user, program=program, data=request.GET)
    suffix = f"-{slugify(agency.code)}" if agency else ""
    return _xlsx(export_nominations(registrations=filterset.qs),
                 f"usulan-{program.year}{suffix}.xlsx")
