"""The user's report export jobs (kompeten.reports.models.ReportExport)."""

from django.http import Http404

from kompeten.accounts.models import User
from kompeten.reports.models import ReportExport


def report_exports(*, user: User, kind: str) -> list[ReportExport]:
    """The user's latest exports of one report."""
    return list(ReportExport.objects.filter(created_by=user, kind=kind)[:5])


def report_export(*, user: User, pk: int) -> ReportExport:
    """One of the user's own exports (another user's: 404)."""
    found = ReportExport.objects.filter(pk=pk, created_by=user).first()
    if found is None:
        raise Http404
    return found
