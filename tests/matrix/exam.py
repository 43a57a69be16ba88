"""The competency test (/uji/): the participant's test pages (their own attempt only), the
batch assessor's and the organiser's session pages (batch X: the assessor serves it), and
the organiser's question bank. Objects: tests/exam_samples.py matrix_exam."""

from tests.access_matrix import ASSESSOR, BOTH, GET, ORG, PART, PARTS, POST, Entry
from tests.exam_samples import matrix_exam

STAFF = ORG | ASSESSOR


def _session(ctx) -> dict:
    return {"pk": matrix_exam(ctx)["session"].pk}


def _attempt(ctx) -> dict:
    return {"pk": matrix_exam(ctx)["attempt"].pk}


def _unit(ctx) -> dict:
    return {"pk": matrix_exam(ctx)["unit"].pk}


def _question(ctx) -> dict:
    return {"pk": matrix_exam(ctx)["question"].pk}


ENTRIES: dict[str, Entry] = {
    "exam:mine": Entry(PARTS, GET),
    # a wrong or missing token: refused with a message (302 back)
    "exam:start": Entry(PARTS, POST),
    "exam:take": Entry(PART, GET, kwargs=_attempt),
    # an incomplete save answers 200 with status "invalid"; nothing stored
    "exam:save": Entry(PART, POST, kwargs=_attempt),
    "exam:finish": Entry(PART, POST, kwargs=_attempt),
    # the organiser, the batch's assessor and the participant whose attempt drew it
    "exam:image": Entry(STAFF | PART, GET, kwargs=_question),
    "exam:sessions": Entry(STAFF, GET),
    # batch X already has a running session: refused with a message (302)
    "exam:create": Entry(STAFF, POST, kwargs=lambda ctx: {"pk": ctx["batch_x"].pk}),
    "exam:live": Entry(STAFF, GET, kwargs=_session),
    "exam:live_rows": Entry(STAFF, GET, kwargs=_session),
    "exam:open": Entry(STAFF, POST, kwargs=_session),
    "exam:close": Entry(STAFF, BOTH, kwargs=_session),
    "exam:marking": Entry(STAFF, GET, kwargs=_session),
    "exam:results": Entry(STAFF, GET, kwargs=_session),
    "exam:attempt": Entry(STAFF, BOTH, kwargs=_attempt),
    "exam:mark": Entry(STAFF, POST, kwargs=lambda ctx: {"pk": matrix_exam(ctx)["essay_item"].pk}),
    "exam:bank": Entry(ORG, GET),
    "exam:unit": Entry(ORG, GET, kwargs=_unit),
    "exam:add": Entry(ORG, BOTH, kwargs=_unit),
    "exam:import": Entry(ORG, BOTH, kwargs=_unit),
    "exam:edit": Entry(ORG, BOTH, kwargs=_question),
    "exam:retire": Entry(ORG, POST, kwargs=_question),
    "exam:template": Entry(ORG, GET),
    "exam:statistics": Entry(ORG, GET),
    "exam:policy": Entry(ORG, BOTH),
}
