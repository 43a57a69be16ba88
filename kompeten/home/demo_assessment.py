"""Assessment in the demo: `asesor` serves the demo participant's batch and assesses all of
its participants; a second assessor (`asesor2`) serves it too, to sit on appeals; every unit
has an oral question; the colleagues' decisions are signed already, so the walk "the assessor
decides the participant's units → sidang → result → appeal → panel" can be done from the UI.
Idempotent and quick (the colleagues' decisions are written in bulk)."""

from django.db import transaction
from django.utils import timezone

from kompeten.access.models import BatchStaff
from kompeten.access.services import assign_staff
from kompeten.accounts.models import Role, User
from kompeten.assessment import selectors, services
from kompeten.assessment.decisions import seal
from kompeten.assessment.models import Decision, DecisionLog, OralQuestion, Sidang
from kompeten.batching.models import Placement
from kompeten.home.demo import DEMO_PASSWORD
from kompeten.home.demo_registrations import PESERTA_USERNAME
from kompeten.programs.models import Program, ProgramUnit
from kompeten.programs.selectors import qualification_for
from kompeten.registration.models import Registration

PANEL_USERNAME = "asesor2"
EXPECTED = ("Menyebutkan langkah kerja yang runtut, dasar peraturan yang relevan, dan contoh "
            "penerapan nyata di unit kerja peserta.")


def _panel_assessor() -> User:
    user = User.objects.filter(username=PANEL_USERNAME).first()
    if user is None:
        user = User(username=PANEL_USERNAME, role=Role.ASSESSOR, first_name="Dr. RS,",
                    last_name="M.Psi.", email=f"{PANEL_USERNAME}@demo.kompeten.example")
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _questions(units: list[ProgramUnit]) -> None:
    have = set(OralQuestion.objects.filter(unit__in=units).values_list("unit_id", flat=True))
    OralQuestion.objects.bulk_create([
        OralQuestion(unit=unit, order=1, expected_answer=EXPECTED,
                     question=f"Bagaimana Anda menerapkan \"{unit.title}\" di instansi Anda? "
                              "Berikan satu contoh.")
        for unit in units if unit.pk not in have])


@transaction.atomic
def load_demo_assessment(*, program: Program) -> int:
    """Returns the decisions written."""
    placement = (Placement.objects.select_related("batch", "registration")
                 .filter(registration__program=program,
                         registration__user__username=PESERTA_USERNAME,
                         batch__isnull=False).first())
    assessor = User.objects.filter(username="asesor").first()
    if placement is None or assessor is None:
        return 0
    batch = placement.batch
    panel = _panel_assessor()
    for user in (assessor, panel):
        if not BatchStaff.objects.filter(batch=batch, user=user).exists():
            assign_staff(batch=batch, user=user)
    _questions(list(ProgramUnit.objects.filter(qualification__program=program,
                                               qualification__level=batch.level)))
    if Sidang.objects.filter(batch=batch).exists():
        return 0
    # The generated colleagues of the demo were accepted without going through review.
    for registration in selectors.batch_participants(batch).filter(qualification__isnull=True):
        Registration.objects.filter(pk=registration.pk).update(qualification=qualification_for(
            program=program, level=registration.level, agency=registration.agency))
    participants = list(selectors.batch_participants(batch).exclude(
        agency_id=assessor.agency_id) if assessor.agency_id else
        selectors.batch_participants(batch))
    for registration in participants:
        if not hasattr(registration, "assessment_assignment"):
            services.assign(registration=registration, assessor=assessor)
    decided = set(Decision.objects.filter(registration__in=participants)
                  .values_list("registration_id", flat=True))
    now = timezone.now()
    decisions, logs = [], []
    for index, registration in enumerate(participants):
        if registration.pk == placement.registration_id or registration.pk in decided:
            continue
        for unit in ProgramUnit.objects.filter(qualification_id=registration.qualification_id):
            verdict = "BK" if (index + unit.order) % 11 == 0 else "K"
            note = ("Bukti kerja dan jawaban lisan memadai." if verdict == "K" else
                    "Jawaban lisan belum menunjukkan penerapan di unit kerja.")
            decision = Decision(registration=registration, unit=unit, version=1,
                                verdict=verdict, note=note, by=assessor)
            decisions.append(seal(decision, now))
            logs.append(DecisionLog(registration=registration, unit=unit, action="sign",
                                    by=assessor, at=now, after={
                                        "version": 1, "verdict": verdict, "note": note,
                                        "feedback": "", "reason": "",
                                        "signed": now.isoformat(),
                                        "hash": decision.content_hash}))
    Decision.objects.bulk_create(decisions)
    DecisionLog.objects.bulk_create(logs)
    return len(decisions)
