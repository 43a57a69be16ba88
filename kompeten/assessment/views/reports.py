"""The batch's assessment report for the organiser and the batch's assessors."""

from django.http import Http404, HttpRequest, HttpResponse

from kompeten.access.decorators import permission_required
from kompeten.access.rules import can
from kompeten.assessment import report
from kompeten.programs.models import Batch

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _batch(request: HttpRequest, pk: int) -> Batch:
    batch = Batch.objects.select_related("program", "level").filter(pk=pk).first()
    if batch is None or not can(request.user, "assessment.report", batch):
        raise Http404
    return batch


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@permission_required("assessment.report")
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    return _download(report.report_pdf(batch), "application/pdf",
                     f"laporan-asesmen-{batch.program.code}-akt{batch.number}.pdf")


@permission_required("assessment.report")
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    return _download(report.report_xlsx(batch), XLSX,
                     f"laporan-asesmen-{batch.program.code}-akt{batch.number}.xlsx")
