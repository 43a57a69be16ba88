"""Access-matrix entries of the assessment app (/asesmen/).

The organiser runs the programme's assessment (policy, oral questions, batches, assignment,
sidang, appeal panels). The assessor (batch X) opens only the participants assigned to them
(the matrix participant, agency A, see tests/assessment_samples.py) and the appeals they sit
on as panel; the batch report is the organiser's and the batch's assessors'. Participants
open their own page (another participant gets their own, empty one; a POST for a unit not of
their qualification is refused with a message)."""

from tests import assessment_samples as s
from tests.access_matrix import ANY, ASSESSOR, BOTH, ORG, PARTS, POST, Entry


def _batch(ctx) -> dict:
    s.matrix_assessment(ctx)
    return {"pk": ctx["batch_x"].pk}


def _registration(ctx) -> dict:
    return {"pk": s.matrix_assessment(ctx)["registration"].pk}


def _unit(ctx) -> dict:
    sample = s.matrix_assessment(ctx)
    return {"pk": sample["registration"].pk, "unit_pk": sample["unit"].pk}


def _question(ctx) -> dict:
    return {"pk": s.matrix_assessment(ctx)["question"].pk}


def _oral(ctx) -> dict:
    sample = s.matrix_assessment(ctx)
    return {"pk": sample["registration"].pk, "question_pk": sample["question"].pk}


def _appeal(ctx) -> dict:
    s.matrix_assessment(ctx)
    return {"pk": s.matrix_appeal(ctx).pk}


def _participant_unit(ctx) -> dict:
    return {"unit_pk": s.matrix_assessment(ctx)["unit"].pk}


ENTRIES: dict[str, Entry] = {
    "assessment:overview": Entry(ORG, ANY),
    "assessment:settings": Entry(ORG, BOTH),
    "assessment:questions": Entry(ORG, BOTH, kwargs=lambda ctx: (s.matrix_assessment(ctx),
                                                                 {})[1]),
    "assessment:question_edit": Entry(ORG, BOTH, kwargs=_question),
    "assessment:question_delete": Entry(ORG, POST, kwargs=_question),
    "assessment:batch": Entry(ORG, ANY, kwargs=_batch),
    "assessment:auto_assign": Entry(ORG, POST, kwargs=_batch),
    "assessment:assign": Entry(ORG, POST, kwargs=_batch),
    "assessment:sidang": Entry(ORG, POST, kwargs=_batch),
    "assessment:appeal_panel": Entry(ORG, POST, kwargs=_appeal),
    "assessment:report_pdf": Entry(ORG | ASSESSOR, ANY, kwargs=_batch),
    "assessment:report_xlsx": Entry(ORG | ASSESSOR, ANY, kwargs=_batch),
    "assessment:my_participants": Entry(ASSESSOR, ANY, kwargs=lambda ctx: (
        s.matrix_assessment(ctx), {})[1]),
    "assessment:participant": Entry(ASSESSOR, ANY, kwargs=_registration),
    "assessment:decide_unit": Entry(ASSESSOR, POST, kwargs=_unit),
    "assessment:sign_all": Entry(ASSESSOR, POST, kwargs=_registration),
    "assessment:oral_answer": Entry(ASSESSOR, POST, kwargs=_oral),
    "assessment:evidence": Entry(ASSESSOR, POST, kwargs=_registration),
    "assessment:observation": Entry(ASSESSOR, POST, kwargs=_registration),
    "assessment:appeal_decide": Entry(ASSESSOR, BOTH, kwargs=_appeal),
    "assessment:mine": Entry(PARTS, ANY, kwargs=lambda ctx: (s.matrix_assessment(ctx), {})[1]),
    "assessment:self_assess": Entry(PARTS, POST),
    "assessment:consent": Entry(PARTS, POST),
    "assessment:appeal": Entry(PARTS, POST, kwargs=_participant_unit),
}
