"""A small hand-built world for the reports: two agencies in two provinces, officials at
every step of the funnel, so each report's numbers can be asserted exactly."""

import datetime as dt
import itertools

from django.utils import timezone

from kompeten.batching.models import Placement
from kompeten.classroom.attendance_models import AttendanceMark, EvaluationRating
from kompeten.classroom.session_models import ClassSession, Facilitator
from kompeten.elearning.models import Resume
from kompeten.programs.models import Agency, AgencyKind, Batch, ProgramModule
from kompeten.registration.models import Registration
from tests.factories import levels, new_program

_serial = itertools.count(1)


def official(program, agency, level, status: str, **fields) -> Registration:
    n = next(_serial)
    birth = dt.date(1975, 1, 1) + dt.timedelta(days=n)
    values = {"registered_at": None, "submitted_at": None}
    values.update(fields)
    return Registration.objects.create(
        program=program, agency=agency, level=level, seat=n, status=status,
        nip=f"{birth:%Y%m%d}200001{1 + n % 2}{n % 1000:03d}", birth_date=birth,
        gender="L" if n % 2 else "P", full_name=f"Dra. Pejabat Laporan {n}, M.Si.",
        plain_name=f"Pejabat Laporan {n}", position="Kepala Bidang",
        email=f"laporan{n}@instansi.test", phone="+6281200000000", **values)


def session(batch: Batch, jp: int) -> ClassSession:
    start = timezone.make_aware(dt.datetime.combine(batch.start_date, dt.time(8)))
    return ClassSession.objects.create(batch=batch, day=1, starts_at=start,
                                       ends_at=start + dt.timedelta(hours=jp), title="Materi",
                                       jp=jp)


def report_world() -> dict:
    """Pengawas (agency A, Aceh): 8 nominated, 7 invited, 6 registered, 5 submitted,
    4 accepted, 3 placed, 2 e-learning complete, 1 attended (12 JP) and 1 declined (not
    counted). Administrator (agency B, Bali): 2 accepted, 1 placed, none further."""
    pengawas, administrator = levels()
    program = new_program()
    program.elearning_rule = "resume"
    program.save()
    a = Agency.objects.create(code="LAP-A", name="BKD Provinsi Aceh (uji laporan)",
                              kind=AgencyKind.PROVINCE, province="Aceh")
    b = Agency.objects.create(code="LAP-B", name="BKD Provinsi Bali (uji laporan)",
                              kind=AgencyKind.PROVINCE, province="Bali")
    now = timezone.now()
    batch_p = Batch.objects.create(program=program, level=pengawas, number=1,
                                   start_date=dt.date(2101, 3, 2), end_date=dt.date(2101, 3, 3))
    batch_a = Batch.objects.create(program=program, level=administrator, number=2,
                                   start_date=dt.date(2101, 3, 9), end_date=dt.date(2101, 3, 10))
    module = ProgramModule.objects.create(program=program, level=pengawas, order=1,
                                          title="Manajemen ASN")
    official(program, a, pengawas, "declined")
    official(program, a, pengawas, "nominated")
    official(program, a, pengawas, "invited")
    official(program, a, pengawas, "registered", registered_at=now)
    official(program, a, pengawas, "submitted", registered_at=now, submitted_at=now)
    accepted_a = [official(program, a, pengawas, "accepted", registered_at=now,
                           submitted_at=now) for _ in range(4)]
    accepted_b = [official(program, b, administrator, "accepted", registered_at=now,
                           submitted_at=now) for _ in range(2)]
    for seat, registration in enumerate(accepted_a[:3], 1):
        Placement.objects.create(registration=registration, batch=batch_p, seat=seat)
    Placement.objects.create(registration=accepted_a[3], batch=None, seat=None, waiting_since=now)
    Placement.objects.create(registration=accepted_b[0], batch=batch_a, seat=1)
    for registration in accepted_a[:2]:
        Resume.objects.create(registration=registration, module=module, text="Resume " * 30,
                              status="accepted")
    lesson = session(batch_p, 12)
    AttendanceMark.objects.create(session=lesson, registration=accepted_a[0], status="present",
                                  source="roll_call", marked_at=now)
    AttendanceMark.objects.create(session=lesson, registration=accepted_a[1], status="absent",
                                  source="roll_call", marked_at=now)
    facilitator = Facilitator.objects.create(name="Dr. Fasilitator Laporan", kind="widyaiswara")
    for score in (5, 4, 3):
        EvaluationRating.objects.create(program=program, batch=batch_p, session=lesson,
                                        facilitator=facilitator, score=score)
    EvaluationRating.objects.create(program=program, batch=batch_p, score=2)
    return {"program": program, "agency_a": a, "agency_b": b, "pengawas": pengawas,
            "administrator": administrator, "batch_p": batch_p, "batch_a": batch_a,
            "accepted_a": accepted_a, "accepted_b": accepted_b, "facilitator": facilitator}


def matrix_correction(ctx: dict):
    """A correction request of ctx["registration"] (the participant's), once per test."""
    if "correction" not in ctx:
        from kompeten.reports.models import CorrectionRequest

        ctx["correction"] = CorrectionRequest.objects.create(
            registration=ctx["registration"], text="Nama saya tertulis salah.",
            created_at=timezone.now())
    return ctx["correction"]
