"""Pages of whoever holds or oversees a certificate: the participant's own certificates,
the PDF download (the participant, the agency's operator, the organiser) and the SIASN
export (the organiser; an operator for their own agency's officials)."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompeten.access.decorators import permission_required, role_required
from kompeten.accounts.models import Role
from kompeten.certificates import documents, selectors, services, siasn
from kompeten.certificates.views import file_response, safe_name
from kompeten.common.storage import private_storage
from kompeten.programs.selectors import program_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@role_required(Role.PARTICIPANT)
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "certificates/mine.html",
                  {"certificates": selectors.mine(request.user)})


@permission_required("certificate.view")
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate's signed PDF; a revoked one only for the organiser's records."""
    certificate = selectors.certificate_for(user=request.user, pk=pk)
    if not certificate.is_valid and request.user.role != Role.ORGANISER:
        return render(request, "certificates/badge_revoked.html",
                      {"certificate": certificate}, status=410)
    data = documents.read_pdf(certificate)
    if data is None:
        raise Http404
    return file_response(data, f"{safe_name(certificate.number)}.pdf")


@permission_required("certificates.siasn")
def siasn_export(request: HttpRequest) -> HttpResponse:
    """Up to siasn.DIRECT_MAX rows the workbook itself; more (a national year): the page of
    the user's export jobs, where a POST starts one and a finished one is downloaded."""
    program = program_for(code=request.GET.get("tahun"))
    rows = selectors.siasn_rows(user=request.user, program=program)
    total = rows.count()
    if total <= siasn.DIRECT_MAX:
        data = siasn.export(rows, program=program)
        stamp = timezone.localdate().isoformat()
        return file_response(data, f"siasn-riwayat-kursus-{program.code}-{stamp}.xlsx",
                             content_type=XLSX)
    exports = selectors.siasn_exports(user=request.user, program=program)
    return render(request, "certificates/siasn.html", {
        "program": program, "total": total, "exports": exports,
        "active": any(e.is_active for e in exports)})


@require_POST
@permission_required("certificates.siasn")
def siasn_start(request: HttpRequest) -> HttpResponse:
    program = program_for(code=request.POST.get("tahun"))
    services.start_siasn_export(user=request.user, program=program)
    messages.success(request, _("Berkas ekspor SIASN sedang dibuat."))
    return redirect(f"{reverse('certificates:siasn')}?tahun={program.code}")


@permission_required("certificates.siasn")
def siasn_file(request: HttpRequest, pk: int) -> HttpResponse:
    export = selectors.siasn_export(user=request.user, pk=pk)
    if not export.file:
        raise Http404
    try:
        handle = private_storage().open(export.file.name, "rb")
    except OSError as exc:
        raise Http404 from exc
    stamp = timezone.localtime(export.finished_at).date().isoformat()
    return FileResponse(handle, as_attachment=True, content_type=XLSX,
                        filename=f"siasn-riwayat-kursus-{export.program.code}-{stamp}.xlsx")
