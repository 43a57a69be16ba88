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


def matrix_report_export(ctx: dict):
    """The organiser's finished funnel export job (with its workbook), once per test."""
    if "report_export" not in ctx:
        from kompeten.reports import services
        from kompeten.reports.models import ReportExport

        export = ReportExport.objects.create(kind="funnel",
                                             created_by=ctx["principals"]["organiser"])
        ctx["report_export"] = services.build_report_export(export_id=export.pk)
    return ctx["report_export"]


def assessed_world(w: dict, organiser) -> dict:
    """Pengawas batch 1 (released by a sidang): unit P1 K, K, BK; unit P2 K, K, K with the
    first participant's P1 corrected from BK (v1) to K (v2). Administrator batch 2 has
    decisions but no sidang: never counted."""
    from kompeten.assessment.models import Decision, Sidang
    from kompeten.programs.models import ProgramQualification, ProgramUnit

    now = timezone.now()
    qualification = ProgramQualification.objects.create(
        program=w["program"], code="pgw", name="Pengawas Uji", level=w["pengawas"], scope="all")
    p1 = ProgramUnit.objects.create(qualification=qualification, order=1, code="P1",
                                    title="Merencanakan kebutuhan ASN")
    p2 = ProgramUnit.objects.create(qualification=qualification, order=2, code="P2",
                                    title="Mengembangkan kompetensi ASN")
    a0, a1, a2 = w["accepted_a"][:3]

    def decide(registration, unit, verdict, version=1, reason=""):
        Decision.objects.create(registration=registration, unit=unit, version=version,
                                verdict=verdict, by=organiser, signed_at=now, reason=reason)

    decide(a0, p1, "BK")
    decide(a0, p1, "K", version=2, reason="Banding diterima")
    decide(a1, p1, "K")
    decide(a2, p1, "BK")
    for registration in (a0, a1, a2):
        decide(registration, p2, "K")
    Sidang.objects.create(batch=w["batch_p"], held_on=now.date(), decree_number="SK-1/2101",
                          panel_members="Ketua\nAnggota", locked_at=now, by=organiser)
    admin_qualification = ProgramQualification.objects.create(
        program=w["program"], code="adm", name="Administrator Uji", level=w["administrator"],
        scope="all")
    a_unit = ProgramUnit.objects.create(qualification=admin_qualification, order=1, code="A1",
                                        title="Unit administrator")
    decide(w["accepted_b"][0], a_unit, "K")
    return {"p1": p1, "p2": p2}


def monev_world(w: dict) -> dict:
    """Wave 3 months of batch 1: 3 participants and 2 supervisors invited; 2 participants
    and 1 supervisor submitted. Milestones: short 2 (1 done), medium 1 (not done)."""
    from kompeten.actionplans.models import ActionPlan, Milestone
    from kompeten.monev.models import (
        Answer,
        Invitation,
        Item,
        MilestoneAnswer,
        Questionnaire,
        Response,
        Section,
        Wave,
    )

    program, batch = w["program"], w["batch_p"]
    now = timezone.now()
    wave = Wave.objects.create(program=program, batch=batch, offset_months=3,
                               opens_on=dt.date(2101, 6, 3), closes_on=dt.date(2101, 6, 30))
    items = {}
    for audience in ("participant", "supervisor"):
        q = Questionnaire.objects.create(program=program, audience=audience, title=audience)
        section = Section.objects.create(questionnaire=q, order=1, title="Bagian")
        items[audience] = {
            "impact": Item.objects.create(section=section, order=1, kind="likert",
                                          theme="impact", text="Kinerja meningkat"),
            "apply": Item.objects.create(section=section, order=2, kind="likert",
                                         theme="application", text="RTL diterapkan"),
            "suggest": Item.objects.create(section=section, order=3, kind="text",
                                           theme="suggestion", text="Saran"),
        }
    serial = itertools.count(1)

    def invite(registration, audience, submitted):
        n = next(serial)
        invitation = Invitation.objects.create(
            wave=wave, registration=registration, audience=audience, name=f"Orang {n}",
            email=f"monev{n}@example.test", token_salt="s", token_hash=f"{n:064d}",
            expires_at=now + dt.timedelta(days=30), answered_at=now if submitted else None)
        response = Response.objects.create(invitation=invitation,
                                           submitted_at=now if submitted else None)
        return response

    a0, a1, a2 = w["accepted_a"][:3]
    r0 = invite(a0, "participant", True)
    r1 = invite(a1, "participant", True)
    invite(a2, "participant", False)
    s0 = invite(a0, "supervisor", True)
    invite(a1, "supervisor", False)
    for response, impact, applied, suggestion in (
            (r0, 4, 5, "Perlu pendampingan mentor"), (r1, 2, 3, "Materi sistem merit ditambah"),
            (s0, 3, 2, "")):
        who = response.invitation.audience
        Answer.objects.create(response=response, item=items[who]["impact"], number=impact)
        Answer.objects.create(response=response, item=items[who]["apply"], number=applied)
        if suggestion:
            Answer.objects.create(response=response, item=items[who]["suggest"],
                                  text=suggestion)
    plan = ActionPlan.objects.create(registration=a0, title="RTL", background="-", problem="-",
                                     goals="-", benefits="-")
    milestones = [Milestone.objects.create(
        plan=plan, horizon=horizon, order=order, activity=f"Langkah {order}", duration_value=1,
        duration_unit="week", start_week=1, end_week=end, output="-")
        for order, (horizon, end) in enumerate((("short", 4), ("short", 8), ("medium", 20)), 1)]
    for milestone, status, percent in zip(milestones, ("done", "in_progress", "not_started"),
                                          (100, 50, 0), strict=True):
        MilestoneAnswer.objects.create(response=r0, milestone=milestone, status=status,
                                       percent=percent)
    return {"wave": wave}


def certificate(registration, *, kind="competence", revoked=False, number=None):
    from kompeten.certificates.models import Certificate

    now = timezone.now()
    return Certificate.objects.create(
        registration=registration, program=registration.program, kind=kind,
        number=number or f"SK/{registration.pk}/{kind}", full_name=registration.full_name,
        nip=registration.nip, qualification_name="Kualifikasi", level_name="Jenjang",
        units_k=2, units_total=2, place="Jakarta", signatory_name="Kepala",
        signatory_title="Kepala Pusat", basis="Sidang", issued_at=now,
        revoked_at=now if revoked else None, revoke_reason="Salah cetak" if revoked else "")


def certified_world(w: dict) -> dict:
    """Competence certificates: agency A Pengawas 2 valid in this programme (+1 training,
    +1 revoked: not counted), 1 more Pengawas in an older programme; agency B 1
    Administrator."""
    older = new_program()
    a0, a1, a2 = w["accepted_a"][:3]
    certificate(a0)
    certificate(a1)
    certificate(a0, kind="training")
    certificate(a2, revoked=True)
    past = official(older, w["agency_a"], w["pengawas"], "accepted")
    certificate(past)
    certificate(w["accepted_b"][0])
    return {"older": older}
