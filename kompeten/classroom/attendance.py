"""Attendance: the rotating QR code of a session, the participant's check-in, the
facilitator's roll call (idempotent marks), the organiser's logged corrections, the signed
sheets and the acknowledgement of the rules of conduct."""

import datetime as dt
import hashlib
import hmac
import time
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kompeten.accounts.models import User
from kompeten.batching.models import Placement
from kompeten.classroom.attendance_models import (
    AttendanceMark,
    ConductAcknowledgement,
    MarkCorrection,
    MarkSource,
    MarkStatus,
    SignedSheet,
)
from kompeten.classroom.session_models import ClassSession
from kompeten.common import uploads
from kompeten.common.filechecks import check_pdf
from kompeten.programs.models import Batch
from kompeten.registration.models import Registration

# Check-in opens this long before a session starts; after LATE_AFTER a scan counts as late.
OPENS_BEFORE = dt.timedelta(minutes=30)
LATE_AFTER = dt.timedelta(minutes=15)
SHEET_MAX_BYTES = 10 * 1024 * 1024


def _minute(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // 60)


def _signature(session_id: int, minute: int) -> str:
    message = f"classroom-checkin:{session_id}:{minute}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:20]


def checkin_code(session_id: int, *, now: float | None = None) -> str:
    """The code of the QR shown now: the minute and its HMAC for this session."""
    minute = _minute(now)
    return f"{minute}-{_signature(session_id, minute)}"


def checkin_path(session_id: int, *, now: float | None = None) -> str:
    return reverse("kelas:checkin", args=[session_id, checkin_code(session_id, now=now)])


def check_code(session_id: int, code: str, *, now: float | None = None) -> None:
    """Accept this minute's code and the previous minute's (a scan at the turn of the
    minute); refuse another session's code and older ones."""
    minute_text, _dash, signature = code.partition("-")
    if not minute_text.isdigit() or not hmac.compare_digest(
            signature, _signature(session_id, int(minute_text))):
        raise ValidationError(_("Kode QR ini bukan untuk sesi ini. Pindai kode yang tampil di "
                                "layar kelas Anda."), code="other_session")
    age = _minute(now) - int(minute_text)
    if age > 1:
        raise ValidationError(_("Kode QR sudah kedaluwarsa. Pindai ulang kode yang sedang "
                                "tampil di layar."), code="expired")
    if age < 0:
        raise ValidationError(_("Kode QR belum berlaku."), code="future")


def check_window(session: ClassSession, at: dt.datetime) -> None:
    opens = session.starts_at - OPENS_BEFORE
    if not opens <= at <= session.ends_at:
        local_open = timezone.localtime(opens)
        local_end = timezone.localtime(session.ends_at)
        raise ValidationError(
            _("Presensi sesi ini hanya dibuka %(date)s pukul %(start)s–%(end)s.")
            % {"date": local_open.strftime("%d-%m-%Y"), "start": f"{local_open:%H:%M}",
               "end": f"{local_end:%H:%M}"}, code="outside_window")


def participant_of(*, session: ClassSession, user: User) -> Registration:
    placement = (Placement.objects.filter(registration__user=user, batch_id=session.batch_id)
                 .select_related("registration").first())
    if placement is None:
        raise ValidationError(_("Anda bukan peserta angkatan sesi ini; presensi tidak dicatat."),
                              code="not_own_batch")
    return placement.registration


def check_in(*, session: ClassSession, user: User, code: str,
             now: dt.datetime | None = None) -> tuple[AttendanceMark, bool]:
    """A participant scanned the session's QR code. Returns (the mark, whether it is new);
    a second scan leaves the first mark. Every refusal stores nothing."""
    now = now or timezone.now()
    check_code(session.pk, code, now=now.timestamp())
    check_window(session, now)
    registration = participant_of(session=session, user=user)
    status = MarkStatus.LATE if now > session.starts_at + LATE_AFTER else MarkStatus.PRESENT
    try:
        with transaction.atomic():
            mark, created = AttendanceMark.objects.get_or_create(
                session=session, registration=registration,
                defaults={"status": status, "source": MarkSource.QR, "marked_by": user,
                          "marked_at": now})
    except IntegrityError:  # the same participant's second phone, at the same instant
        mark, created = AttendanceMark.objects.get(session=session,
                                                   registration=registration), False
    return mark, created


@transaction.atomic
def roll_call(*, session: ClassSession, registration_id: int, status: str, reason: str = "",
              client_id: uuid.UUID, by: User) -> AttendanceMark:
    """The facilitator's mark from the roll-call page. A mark re-sent with the same client
    id (the page retries until it gets an answer) changes nothing."""
    if status not in MarkStatus.values:
        raise ValidationError(_("Status kehadiran tidak dikenal."))
    reason = reason.strip()[:250]
    if status == MarkStatus.EXCUSED and not reason:
        raise ValidationError(_("Izin wajib disertai alasan."))
    if not Placement.objects.filter(registration_id=registration_id,
                                    batch_id=session.batch_id).exists():
        raise ValidationError(_("Peserta ini bukan peserta angkatan sesi ini."))
    done = AttendanceMark.objects.filter(client_id=client_id).first()
    if done is not None:
        return done
    now = timezone.now()
    values = {"status": status, "reason": reason if status == MarkStatus.EXCUSED else "",
              "source": MarkSource.ROLL_CALL, "client_id": client_id, "marked_by": by,
              "marked_at": now}
    mark, _created = AttendanceMark.objects.select_for_update().update_or_create(
        session=session, registration_id=registration_id, defaults=values)
    return mark


@transaction.atomic
def correct(*, session: ClassSession, registration_id: int, status: str, reason: str = "",
            note: str, by: User) -> AttendanceMark:
    """The organiser's correction, logged with the previous status."""
    if status not in MarkStatus.values:
        raise ValidationError(_("Status kehadiran tidak dikenal."))
    note = note.strip()
    if not note:
        raise ValidationError(_("Tulis alasan koreksi."))
    if status == MarkStatus.EXCUSED and not reason.strip():
        raise ValidationError(_("Izin wajib disertai alasan."))
    if not Placement.objects.filter(registration_id=registration_id,
                                    batch_id=session.batch_id).exists():
        raise ValidationError(_("Peserta ini bukan peserta angkatan sesi ini."))
    now = timezone.now()
    old = (AttendanceMark.objects.select_for_update()
           .filter(session=session, registration_id=registration_id).first())
    mark, _created = AttendanceMark.objects.update_or_create(
        session=session, registration_id=registration_id,
        defaults={"status": status, "reason": reason.strip() if status == "excused" else "",
                  "source": MarkSource.CORRECTION, "client_id": None, "marked_by": by,
                  "marked_at": now})
    MarkCorrection.objects.create(session=session, registration_id=registration_id,
                                  old_status=old.status if old else "", new_status=status,
                                  note=note[:250], by=by, at=now)
    return mark


def upload_signed_sheet(*, batch: Batch, day: dt.date, upload, by: User) -> SignedSheet:
    """The signed daftar hadir of one day (PDF, checked by content) as evidence."""
    if not batch.start_date <= day <= batch.end_date:
        raise ValidationError(_("Tanggal di luar hari pelatihan angkatan ini."))
    data, detected = uploads.inspect_upload(upload=upload, allowed={"application/pdf"},
                                            max_bytes=SHEET_MAX_BYTES)
    check_pdf(data)
    stored = uploads.save_checked(data=data, detected=detected,
                                  original_name=upload.name or "", by=by)
    try:
        with transaction.atomic():
            return SignedSheet.objects.create(batch=batch, day=day, file=stored,
                                              uploaded_by=by, uploaded_at=timezone.now())
    except Exception:
        uploads.discard(stored)
        raise


@transaction.atomic
def acknowledge_conduct(*, registration: Registration) -> ConductAcknowledgement:
    ack, _created = ConductAcknowledgement.objects.get_or_create(
        registration=registration, defaults={"acknowledged_at": timezone.now()})
    return ack
