"""Pages of whoever holds or oversees a certificate: the participant's own certificates,
the PDF download (the participant, the agency's operator, the organiser) and the SIASN
export (the organiser; an operator for their own agency's officials)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kompeten.access.decorators import permission_required, role_required
from kompeten.accounts.models import Role
from kompeten.certificates import documents, selectors, siasn
from kompeten.certificates.views import file_response, safe_name
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
    program = program_for(code=request.GET.get("tahun"))
    data = siasn.export(selectors.siasn_rows(user=request.user, program=program),
                        program=program)
    stamp = timezone.localdate().isoformat()
    return file_response(data, f"siasn-riwayat-kursus-{program.code}-{stamp}.xlsx",
                         content_type=XLSX)
