"""Class documents of a batch (PDF). Organisers print everything; facilitators print the
class list and the attendance sheets of the batches they serve (they run the classroom days)."""

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kompeten.access.decorators import permission_required
from kompeten.access.rules import batches_for, can
from kompeten.classroom import documents
from kompeten.classroom import selectors as class_selectors
from kompeten.programs.batch_list import batch_page, batch_url
from kompeten.programs.models import Batch
from kompeten.programs.selectors import training_days
from kompeten.rumpun import selectors as topic_selectors
from kompeten.rumpun.views import program_from

class_staff_required = permission_required("classroom.documents")


def _batch(request: HttpRequest, pk: int | str, permission: str = "classroom.documents") -> Batch:
    """The batch, or 404 for a batch the user does not serve."""
    batch = get_object_or_404(Batch.objects.select_related("program", "level"), pk=int(pk))
    if not can(request.user, permission, batch):
        raise Http404
    return batch


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@class_staff_required
def index(request: HttpRequest) -> HttpResponse:
    """One page of the programme's batches (filter by number, level, start date), each with
    its participant count and its documents' links: constant queries at any scale."""
    program = program_from(request)
    listing = batch_page(request, batches_for(request.user).filter(program=program)
                         .select_related("level").order_by("number"),
                         keep={"tahun": str(program.code)})
    counts = class_selectors.participant_counts(batch_ids=listing.ids)
    class_list = batch_url("classroom:class_list_pdf")
    attendance = batch_url("classroom:attendance_pdf", "2000-01-01")
    plates = batch_url("classroom:name_plates_pdf")
    sheet = _("Daftar hadir %(date)s")
    rows = [{"batch": batch, "participants": counts.get(batch.pk, 0),
             "class_list": class_list(batch.pk), "plates": plates(batch.pk),
             "days": [(attendance(batch.pk, day.isoformat()),
                       sheet % {"date": date_format(day, "j M")})
                      for day in training_days(batch)]}
            for batch in listing.batches]
    return render(request, "classroom/documents.html",
                  {"program": program, "rows": rows, "listing": listing})


@class_staff_required
def class_list_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    content = documents.class_list_pdf(
        batch=batch, placements=topic_selectors.batch_members(batch=batch))
    return _pdf(content, f"daftar-kelas-angkatan-{batch.number}.pdf")


@class_staff_required
def attendance_pdf(request: HttpRequest, pk: int, day: str) -> HttpResponse:
    batch = _batch(request, pk)
    try:
        date = dt.date.fromisoformat(day)
    except ValueError as exc:
        raise Http404 from exc
    if not batch.start_date <= date <= batch.end_date:
        raise Http404
    sessions, marks = class_selectors.day_marks(batch=batch, day=date)
    content = documents.attendance_pdf(
        batch=batch, day=date,
        placements=topic_selectors.batch_members(batch=batch, order="name"),
        sessions=sessions, marks=marks)
    return _pdf(content, f"daftar-hadir-angkatan-{batch.number}-{date.isoformat()}.pdf")


@permission_required("classroom.name_plates")
def name_plates_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk, "classroom.name_plates")
    content = documents.name_plates_pdf(
        batch=batch, placements=topic_selectors.batch_members(batch=batch))
    return _pdf(content, f"papan-nama-angkatan-{batch.number}.pdf")
