"""Exam objects for tests: a small question bank for a batch's units, a placed participant,
an open session and an attempt; built on demand inside the test."""

from kompeten.accounts.models import Role
from kompeten.batching.models import Placement
from kompeten.exam import selectors, services
from kompeten.exam.models import ExamPolicy
from kompeten.exam.services import QuestionData

OPTIONS = ("Sistem merit", "Sistem karier tertutup", "Sistem patronase", "Sistem campuran")


def mc(n: int, key: int = 0) -> QuestionData:
    return QuestionData(kind="mc", text=f"Pertanyaan pilihan ganda {n}: asas manajemen ASN?",
                        options=OPTIONS, key=key, explanation="UU ASN menetapkan sistem merit.")


def essay(n: int) -> QuestionData:
    return QuestionData(kind="essay", text=f"Esai {n}: jelaskan perencanaan kebutuhan ASN.",
                        expected_points="analisis jabatan; beban kerja; formasi", max_points=10)


def bank(batch, registration, *, mc_count: int = 3, essays: int = 1, by=None,
         units: int | None = None) -> list:
    """Questions for the first ``units`` units of the registration's qualification."""
    chosen = selectors.units_of(registration, batch)[:units]
    for unit in chosen:
        for n in range(mc_count):
            services.create_question(unit=unit, data=mc(n), by=by)
        for n in range(essays):
            services.create_question(unit=unit, data=essay(n), by=by)
    return chosen


def small_policy(program, *, mc_per_unit: int = 2, essays_per_unit: int = 1, minutes: int = 30):
    return ExamPolicy.objects.update_or_create(program=program, defaults={
        "mc_per_unit": mc_per_unit, "essays_per_unit": essays_per_unit, "minutes": minutes})[0]


def exam_world(world: dict, *, units: int = 2, open_session: bool = True) -> dict:
    """ctx["registration"] (the participant) placed in batch 4 with a bank for the first
    ``units`` of its units, a session (opened by the organiser) and the policy."""
    program = world["program"]
    batch = program.batches.get(number=4)
    registration = world["registration"]
    Placement.objects.get_or_create(registration=registration, defaults={"batch": batch,
                                                                         "seat": 1})
    organiser = world["users"][Role.ORGANISER]
    small_policy(program)
    chosen = bank(batch, registration, units=units, by=organiser)
    session = services.create_session(batch=batch, by=organiser)
    if open_session:
        services.open_session(session=session, by=organiser)
    return {"batch": batch, "units": chosen, "session": session, "organiser": organiser,
            "participant": world["users"][Role.PARTICIPANT], "registration": registration}


def matrix_exam(ctx: dict) -> dict:
    """For the access matrix: a bank for the first unit of the participant's (batch X) units
    with an image question, the batch's open session and the participant's attempt."""
    if "exam" not in ctx:
        from kompeten.common import uploads
        from tests.upload_samples import image_bytes

        program = ctx["program"]
        batch = ctx["batch_x"]
        registration = ctx["registration"]
        Placement.objects.get_or_create(registration=registration,
                                        defaults={"batch": batch, "seat": 1})
        organiser = ctx["users"][Role.ORGANISER]
        small_policy(program, mc_per_unit=1, essays_per_unit=1)
        unit = selectors.units_of(registration, batch)[0]
        data = image_bytes("PNG", (40, 30))
        stored = uploads.save_checked(data=data, detected=uploads.detect(
            data, allowed=uploads.IMAGES), original_name="gambar.png", by=organiser)
        question = services.create_question(unit=unit, data=mc(1), by=organiser, image=stored)
        services.create_question(unit=unit, data=essay(1), by=organiser)
        session = services.create_session(batch=batch, by=organiser)
        services.open_session(session=session, by=organiser)
        attempt = services.start_attempt(user=ctx["users"][Role.PARTICIPANT], token=session.token)
        essay_item = attempt.items.get(question__kind="essay")
        ctx["exam"] = {"unit": unit, "question": question, "session": session,
                       "attempt": attempt, "essay_item": essay_item}
    return ctx["exam"]
