"""Objects of the classroom days for the access matrix, created on first use inside the
test (so other tests keep a world without sessions)."""

from kompeten.batching.models import Placement
from kompeten.classroom import attendance, sessions
from kompeten.classroom.attendance_models import SignedSheet
from kompeten.classroom.session_models import ClassSession, Facilitator
from kompeten.common import uploads
from kompeten.common.models import StoredFile
from kompeten.programs.models import Batch
from tests.upload_samples import pdf_bytes


def matrix_batch(ctx) -> Batch:
    return ctx["batch_x"]


def matrix_session(ctx) -> ClassSession:
    """The first session of batch X, taught by facilitator X, with participant A (the
    matrix registration) seated in that batch."""
    sessions.generate_sessions(program=ctx["program"])
    batch = matrix_batch(ctx)
    session = ClassSession.objects.filter(batch=batch).order_by("starts_at").first()
    facilitator, _ = Facilitator.objects.get_or_create(
        user=ctx["principals"]["facilitator_x"],
        defaults={"name": "Fasilitator Matriks", "kind": "widyaiswara"})
    if not session.assignments.filter(facilitator=facilitator).exists():
        sessions.assign(session=session, facilitator=facilitator)
    Placement.objects.get_or_create(registration=ctx["registration"],
                                    defaults={"batch": batch, "seat": 1})
    return session


def session_kwargs(ctx) -> dict:
    return {"pk": matrix_session(ctx).pk}


def batch_kwargs(ctx) -> dict:
    return {"pk": matrix_session(ctx).batch_id}


def checkin_kwargs(ctx) -> dict:
    session = matrix_session(ctx)
    return {"pk": session.pk, "code": attendance.checkin_code(session.pk)}


def placed(ctx) -> dict:
    matrix_session(ctx)
    return {}


def ics_kwargs(ctx) -> dict:
    from kompeten.classroom.views.sessions import ics_token

    matrix_session(ctx)
    return {"token": ics_token(Facilitator.objects.get(
        user=ctx["principals"]["facilitator_x"]))}


def sheet_kwargs(ctx) -> dict:
    session = matrix_session(ctx)
    data = pdf_bytes("Daftar hadir")
    detected = uploads.detect(data, allowed={"application/pdf"})
    stored: StoredFile = uploads.save_checked(data=data, detected=detected,
                                              original_name="hadir.pdf", by=None)
    sheet = SignedSheet.objects.create(batch=session.batch, day=session.batch.start_date,
                                       file=stored, uploaded_by=ctx["principals"]["organiser"],
                                       uploaded_at=session.starts_at)
    return {"pk": sheet.pk}
