"""Demo data the reports need beyond what the stages' own loaders create: for the past
programme of demo_history (trained months ago), a lesson with attendance, the reaction
evaluation, released K/BK decisions with a sidang and the competence certificates, so
that every report shows real numbers. Rows are written directly (the past is recorded,
not re-run: no e-mails, no signing). Idempotent and fast."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from kompeten.accounts.models import Role, User
from kompeten.assessment.models import Decision, Sidang
from kompeten.batching.models import Placement
from kompeten.certificates.models import Certificate, Kind
from kompeten.classroom.attendance_models import (
    AttendanceMark,
    EvaluationRating,
    EvaluationSubmission,
)
from kompeten.classroom.session_models import ClassSession, Facilitator, SessionAssignment
from kompeten.home.demo_history import find_past_program
from kompeten.programs.models import ProgramUnit
from kompeten.programs.selectors import qualification_for
from kompeten.reports.models import CorrectionRequest

SEED = 2027


@transaction.atomic
def load_demo_reports() -> dict[str, int]:
    program = find_past_program()
    if program is None or Sidang.objects.filter(batch__program=program).exists():
        return {"decisions": 0}
    rnd = random.Random(SEED)
    organiser = User.objects.filter(role=Role.ORGANISER).order_by("pk").first()
    facilitators = list(Facilitator.objects.order_by("pk")[:4]) or [
        Facilitator.objects.create(name="Dr. Widyaiswara Demo", kind="widyaiswara")]
    now = timezone.now()
    placements = list(Placement.objects.filter(registration__program=program,
                                               batch__isnull=False)
                      .select_related("registration__qualification", "registration__level",
                                      "registration__agency", "batch"))
    units: dict[int, list[ProgramUnit]] = {}
    for unit in ProgramUnit.objects.filter(qualification__program=program).order_by("order"):
        units.setdefault(unit.qualification_id, []).append(unit)
    qualifications = {}
    sessions: dict[int, ClassSession] = {}
    decisions, marks, ratings, certificates = [], [], [], []
    for placement in placements:
        batch, registration = placement.batch, placement.registration
        if batch.pk not in sessions:
            start = timezone.make_aware(dt.datetime.combine(batch.start_date, dt.time(8)))
            sessions[batch.pk] = ClassSession.objects.create(
                batch=batch, day=1, starts_at=start, ends_at=start + dt.timedelta(hours=9),
                title="Manajemen ASN", jp=12)
            facilitator = facilitators[batch.number % len(facilitators)]
            SessionAssignment.objects.create(session=sessions[batch.pk], facilitator=facilitator,
                                             starts_at=start,
                                             ends_at=start + dt.timedelta(hours=9))
            Sidang.objects.create(batch=batch, held_on=batch.end_date + dt.timedelta(days=14),
                                  decree_number=f"SK-{program.code}/{batch.number}",
                                  panel_members="Ketua LSP\nAsesor kepala", locked_at=now,
                                  by=organiser)
        session = sessions[batch.pk]
        present = rnd.random() < 0.93
        marks.append(AttendanceMark(session=session, registration=registration,
                                    status="present" if present else "absent",
                                    source="roll_call", marked_at=session.starts_at))
        if not present:
            continue
        EvaluationSubmission.objects.create(registration=registration, submitted_at=now)
        facilitator = session.assignments.first().facilitator
        ratings += [EvaluationRating(program=program, batch=batch, session=session,
                                     facilitator=facilitator, score=rnd.choice((3, 4, 4, 5, 5))),
                    EvaluationRating(program=program, batch=batch,
                                     score=rnd.choice((3, 4, 4, 5)))]
        key = (registration.level_id, registration.agency_id)
        if key not in qualifications:
            qualifications[key] = registration.qualification or qualification_for(
                program=program, level=registration.level, agency=registration.agency)
        qualification = qualifications[key]
        own_units = units.get(qualification.pk, []) if qualification else []
        all_k = True
        for unit in own_units:
            verdict = "K" if rnd.random() < 0.985 else "BK"
            all_k = all_k and verdict == "K"
            decisions.append(Decision(registration=registration, unit=unit, version=1,
                                      verdict=verdict, by=organiser, signed_at=now))
        if all_k and own_units:
            total = len(own_units)
            certificates.append(Certificate(
                registration=registration, program=program, batch=batch, kind=Kind.COMPETENCE,
                number=f"{program.code}/SK/{registration.pk:05d}",
                full_name=registration.full_name, nip=registration.nip,
                qualification_name=qualification.name, level_name=registration.level.name,
                units_k=total, units_total=total,
                place="Jakarta", signatory_name=program.signatory_name,
                signatory_title=program.signatory_title, basis="Sidang penetapan",
                issued_at=now))
    AttendanceMark.objects.bulk_create(marks)
    EvaluationRating.objects.bulk_create(ratings)
    Decision.objects.bulk_create(decisions)
    Certificate.objects.bulk_create(certificates)
    first = placements[0].registration if placements else None
    if first is not None:
        CorrectionRequest.objects.create(
            registration=first, created_at=now,
            text="Unit kerja saya sekarang Bidang Pengembangan Kompetensi, bukan Bidang Mutasi.")
    return {"decisions": len(decisions), "certificates": len(certificates)}
