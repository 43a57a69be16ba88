"""Attendance: the QR screen, the participant's check-in, the facilitator's roll call, the
organiser's table, corrections and signed sheets."""

import datetime as dt
import json
import uuid

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompeten.accounts.access import organiser_required, role_required
from kompeten.accounts.models import Role
from kompeten.batching.models import Placement
from kompeten.classroom import attendance, selectors
from kompeten.classroom.attendance_models import (
    AttendanceMark,
    ConductAcknowledgement,
    MarkCorrection,
    MarkStatus,
    SignedSheet,
)
from kompeten.classroom.session_models import ClassSession
from kompeten.common.storage import serve
from kompeten.programs.models import Batch

staff_required = role_required(Role.ORGANISER, Role.FACILITATOR)


def _session(request: HttpRequest, pk: int) -> ClassSession:
    """The session, if the user runs its batch (others get 404: no hint it exists)."""
    session = get_object_or_404(ClassSession.objects.select_related(
        "batch__program", "batch__level"), pk=pk)
    if not selectors.may_run_batch(request.user, session.batch_id):
        raise Http404
    return session


def _qr_context(request: HttpRequest, session: ClassSession) -> dict:
    url = request.build_absolute_uri(attendance.checkin_path(session.pk))
    svg = segno.make(url, error="m").svg_inline(scale=8, border=2)
    count = AttendanceMark.objects.filter(session=session).count()
    return {"session": session, "qr_svg": svg, "url": url, "count": count}


@staff_required
def screen(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    participants = Placement.objects.filter(batch=session.batch).count()
    return render(request, "classroom/days/screen.html",
                  {**_qr_context(request, session), "participants": participants})


@staff_required
def screen_qr(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    return render(request, "classroom/days/_qr.html", _qr_context(request, session))


@role_required(Role.PARTICIPANT)
def checkin(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The address the QR code encodes: a confirmation page, then one tap to check in."""
    session = ClassSession.objects.select_related("batch__level").filter(pk=pk).first()
    error, mark, created = None, None, False
    if session is None:
        error = _("Sesi tidak ditemukan. Pindai kode yang tampil di layar kelas Anda.")
    elif request.method == "POST":
        try:
            mark, created = attendance.check_in(session=session, user=request.user, code=code)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        try:
            attendance.check_code(session.pk, code)
            attendance.participant_of(session=session, user=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    needs_conduct = not ConductAcknowledgement.objects.filter(
        registration__user=request.user).exists()
    return render(request, "classroom/days/checkin.html", {
        "session": session, "error": error, "mark": mark, "created": created,
        "needs_conduct": needs_conduct})


@staff_required
def roll_call(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    marks = {m.registration_id: m for m in AttendanceMark.objects.filter(session=session)}
    placements = list(Placement.objects.filter(batch=session.batch)
                      .select_related("registration").order_by("registration__plain_name"))
    rows = [(p.registration, marks.get(p.registration_id)) for p in placements]
    return render(request, "classroom/days/roll_call.html", {
        "session": session, "rows": rows, "statuses": MarkStatus.choices})


@staff_required
@require_POST
def roll_call_mark(request: HttpRequest, pk: int) -> JsonResponse:
    """One queued mark from the roll-call page (JSON). An answer with ``ok`` is final: the
    mark is stored, or refused with the reason (the page drops it and shows why); no
    answer, or a server error, the page retries with the same client id."""
    session = _session(request, pk)
    try:
        data = json.loads(request.body or b"{}")
        client_id = uuid.UUID(str(data.get("client_id")))
        registration_id = int(data.get("registration"))
    except (ValueError, TypeError, AttributeError):
        return JsonResponse({"ok": False, "error": _("Data presensi tidak valid.")})
    try:
        mark = attendance.roll_call(session=session, registration_id=registration_id,
                                    status=str(data.get("status", "")),
                                    reason=str(data.get("reason", "")), client_id=client_id,
                                    by=request.user)
    except ValidationError as exc:
        return JsonResponse({"ok": False, "error": " ".join(exc.messages)})
    return JsonResponse({"ok": True, "status": mark.status, "client_id": str(client_id)})


def _batch(request: HttpRequest, pk: int) -> Batch:
    batch = get_object_or_404(Batch.objects.select_related("program", "level"), pk=pk)
    if not selectors.may_run_batch(request.user, batch.pk):
        raise Http404
    return batch


@staff_required
def batch_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    sessions, rows, minimum = selectors.attendance_table(batch)
    days = [batch.start_date + dt.timedelta(days=i) for i in range(batch.days)]
    return render(request, "classroom/days/attendance.html", {
        "batch": batch, "sessions": sessions, "rows": rows, "minimum": minimum,
        "days": days, "statuses": MarkStatus.choices,
        "sheets": SignedSheet.objects.filter(batch=batch).select_related("file"),
        "corrections": MarkCorrection.objects.filter(session__batch=batch)
        .select_related("registration", "session", "by")[:50],
        "is_organiser": request.user.role == Role.ORGANISER})


@organiser_required
@require_POST
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(Batch, pk=pk)
    session_id = request.POST.get("session", "")
    session = ClassSession.objects.filter(
        batch=batch, pk=int(session_id) if session_id.isdigit() else 0).first()
    if session is None:
        messages.error(request, _("Pilih sesi angkatan ini."))
        return redirect(reverse("kelas:batch_attendance", args=[batch.pk]))
    try:
        attendance.correct(session=session,
                           registration_id=int(request.POST.get("registration") or 0),
                           status=request.POST.get("status", ""),
                           reason=request.POST.get("reason", ""),
                           note=request.POST.get("note", ""), by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Kehadiran dikoreksi dan dicatat di log."))
    return redirect(reverse("kelas:batch_attendance", args=[session.batch_id]))


@organiser_required
@require_POST
def upload_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(Batch, pk=pk)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationError(_("Pilih berkas PDF daftar hadir yang sudah ditandatangani."))
        day = dt.date.fromisoformat(request.POST.get("day", ""))
        attendance.upload_signed_sheet(batch=batch, day=day, upload=upload, by=request.user)
    except ValueError:
        messages.error(request, _("Tanggal tidak valid."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Daftar hadir bertanda tangan disimpan."))
    return redirect(reverse("kelas:batch_attendance", args=[batch.pk]))


@staff_required
def signed_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = get_object_or_404(SignedSheet.objects.select_related("file"), pk=pk)
    if not selectors.may_run_batch(request.user, sheet.batch_id):
        raise Http404
    return serve(request, sheet.file.file, content_type="application/pdf",
                 filename=sheet.file.original_name or "daftar-hadir.pdf", as_attachment=False)
