"""A batch ready for assessment: accepted Pengawas officials with their qualification,
placed in batch 4 of the 2019 programme, and assessors serving the batch."""

from kompeten.access.services import assign_staff
from kompeten.accounts.models import Role
from kompeten.assessment import decisions, services
from kompeten.batching.models import Placement
from kompeten.programs.selectors import qualification_for
from tests import factories
from tests.conftest import make_user


def qualified(registration):
    registration.qualification = qualification_for(
        program=registration.program, level=registration.level, agency=registration.agency)
    registration.status = "accepted"
    registration.save(update_fields=["qualification", "status"])
    return registration


def placed_participants(batch, agency, count: int, first_seat: int = 1) -> list:
    people = []
    for seat in range(first_seat, first_seat + count):
        registration = qualified(factories.participant(
            program=batch.program, level=batch.level, agency=agency,
            plan=("Penataan arsip kepegawaian", "Arsip belum tertata", "Arsip digital")))
        Placement.objects.create(registration=registration, batch=batch, seat=seat)
        people.append(registration)
    return people


def assessor(username: str, batch=None, agency=None):
    user = make_user(Role.ASSESSOR, username=username, agency=agency)
    user.first_name = username.title()
    user.save(update_fields=["first_name"])
    if batch is not None:
        assign_staff(batch=batch, user=user)
    return user


def decide_all(user, registration, verdicts: dict | None = None) -> None:
    """The assessor decides and signs every unit (K unless verdicts says otherwise)."""
    for unit in registration.qualification.units.order_by("order"):
        verdict = (verdicts or {}).get(unit.order, "K")
        decisions.save_decision(assessor=user, registration=registration, unit=unit,
                                verdict=verdict, note=f"Catatan unit {unit.order}")
    decisions.sign_all(assessor=user, registration=registration)


def matrix_assessment(ctx: dict) -> dict:
    """The matrix participant (agency A) placed in batch X, assigned to the matrix
    assessor, with a signed BK on the first unit; created once per test."""
    if "assessment" not in ctx:
        batch = ctx["batch_x"]
        registration = ctx["registration"]
        Placement.objects.get_or_create(registration=registration,
                                        defaults={"batch": batch, "seat": 1})
        qualified(registration)
        user = ctx["principals"]["assessor"]
        assignment = services.assign(registration=registration, assessor=user)
        unit = registration.qualification.units.order_by("order").first()
        question = services.add_question(unit=unit, question="Apa itu sistem merit?",
                                         expected_answer="Kebijakan berdasar kualifikasi.")
        decision = decisions.save_decision(assessor=user, registration=registration,
                                           unit=unit, verdict="BK", note="Belum cukup")
        ctx["assessment"] = {"batch": batch, "registration": registration, "unit": unit,
                             "assignment": assignment, "question": question,
                             "decision": decision}
    return ctx["assessment"]


def matrix_appeal(ctx: dict):
    """An appeal of the roomer (agency A, batch X) against another assessor's BK, with the
    matrix assessor as its panel."""
    if "assessment_appeal" not in ctx:
        from django.utils import timezone

        from kompeten.assessment.models import Appeal, Decision
        from kompeten.registration.models import Registration
        from tests.access_matrix import ROOMER_NIP

        roomer = qualified(Registration.objects.get(nip=ROOMER_NIP, program=ctx["program"]))
        first = assessor("asesor-pertama", ctx["batch_x"])
        services.assign(registration=roomer, assessor=first)
        decide_all(first, roomer, {1: "BK"})
        unit = roomer.qualification.units.get(order=1)
        ctx["assessment_appeal"] = Appeal.objects.create(
            registration=roomer, unit=unit, first_assessor=first,
            decision=Decision.objects.get(registration=roomer, unit=unit),
            reason="Mohon ditinjau", filed_at=timezone.now(),
            panel=ctx["principals"]["assessor"])
    return ctx["assessment_appeal"]
