"""The nomination list as an Excel file at any size.

Up to DIRECT_MAX rows the file is written inside the request (well under a second). A larger
export (the organiser's 100,000 rows of a national programme took 150 s, past the server's
timeout) is a NominationExport written by a background job (kompeten.common.jobs.dispatch):
the user watches its progress page, and downloads the file from private storage through a
view that checks it is theirs. The job writes with a write-only workbook, rows streamed from
the database in chunks, into a temporary file (the worker's memory stays flat), and records
the rows written as it goes. It may run twice (a lost worker): a rerun writes the file again
from the start, and a finished export is never written again.
"""

import logging
import tempfile

from celery import shared_task
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import slugify

from kompeten.accounts.models import Role, User
from kompeten.common import jobs
from kompeten.common.storage import private_storage, unique_name
from kompeten.nominations.excel_export import write_nominations
from kompeten.nominations.filters import filtered_nominations
from kompeten.nominations.models import ExportStatus, NominationExport
from kompeten.programs.models import Program

log = logging.getLogger(__name__)

# Up to this many rows the export is written inside the request; more run as a job.
DIRECT_MAX = 5000
# The job records its progress (and beats) every this many rows.
PROGRESS_EVERY = 2000
# The exports a user's page lists (the newest first).
RECENT = 5


def export_filename(*, program: Program, user: User) -> str:
    suffix = "" if user.role == Role.ORGANISER else f"-{slugify(user.agency.code)}"
    return f"usulan-{program.year}{suffix}.xlsx"


def rows_of(*, user: User, program: Program, query: str):
    """The rows of the list as this user sees them with these filters (agency-scoped)."""
    return filtered_nominations(user=user, program=program, data=QueryDict(query)).qs


@transaction.atomic
def start_export(*, program: Program, by: User, query: str) -> NominationExport:
    """Record the export (with how many rows it will have) and hand it to a background job."""
    query = query[:2000]
    export = NominationExport.objects.create(
        program=program, by=by, agency=None if by.role == Role.ORGANISER else by.agency,
        query=query, total=rows_of(user=by, program=program, query=query).count(),
        filename=export_filename(program=program, user=by))
    jobs.dispatch(write_export, export_id=export.pk)
    return export


def recent_exports(*, user: User) -> list[NominationExport]:
    return list(NominationExport.objects.filter(by=user)[:RECENT])


def export_for(*, user: User, pk: int) -> NominationExport | None:
    """The user's own export (an operator's: of the agency they still belong to), or None."""
    export = NominationExport.objects.filter(pk=pk, by=user).first()
    if export is None or (user.role != Role.ORGANISER and export.agency_id != user.agency_id):
        return None
    return export


@shared_task(acks_late=True)
def write_export(*, export_id: int) -> None:
    """The background job: write the workbook, store it, mark the export done (or failed,
    with the reason, so its page says so)."""
    export = (NominationExport.objects.select_related("by", "by__agency", "program")
              .filter(pk=export_id).first())
    if export is None or export.status == ExportStatus.DONE:
        return
    NominationExport.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING,
                                                         written=0, error="")
    rows = rows_of(user=export.by, program=export.program, query=export.query)
    if export.agency_id is not None:
        rows = rows.filter(agency_id=export.agency_id)

    def progress(written: int) -> None:
        NominationExport.objects.filter(pk=export.pk).update(written=written)
        jobs.beat()  # the heartbeat the reaper watches; stops here when cancelled

    try:
        with tempfile.TemporaryFile(suffix=".xlsx") as handle:
            written = write_nominations(registrations=rows, target=handle, progress=progress,
                                        every=PROGRESS_EVERY)
            handle.seek(0)
            name = private_storage().save(unique_name("exports/nominations", suffix="xlsx"),
                                          File(handle))
    except jobs.JobCancelled:
        NominationExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED, error="cancelled", finished_at=timezone.now())
        raise
    except Exception as exc:  # noqa: BLE001 - recorded on the export, shown on its page
        log.exception("nomination export %s failed", export.pk)
        NominationExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
        return
    NominationExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.DONE, file=name, written=written, total=written,
        finished_at=timezone.now())
