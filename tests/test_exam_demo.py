"""The demo competency test: a bank for every unit of the current programme, the demo
assessor serving the demo participant's batch and its session ready to be opened."""

import pytest

from kompeten.access.rules import batches_for
from kompeten.accounts.models import User
from kompeten.exam import services
from kompeten.exam.models import ExamSession, Question
from kompeten.home.demo import load_demo
from kompeten.home.demo_exam import load_demo_exam
from kompeten.programs.curriculum_models import ProgramUnit
from kompeten.programs.selectors import current_program

pytestmark = pytest.mark.django_db


def test_demo_exam_is_ready_and_idempotent():
    load_demo()
    program = current_program()
    units = ProgramUnit.objects.filter(qualification__program=program)
    assert Question.objects.filter(unit__in=units).count() == units.count() * 4
    session = ExamSession.objects.get()
    assessor = User.objects.get(username="asesor")
    assert batches_for(assessor).filter(pk=session.batch_id).exists()
    assert session.opened_at is None and session.batch.program == program
    assert load_demo_exam(program=program) == 0
    assert ExamSession.objects.count() == 1
    services.open_session(session=session, by=assessor)
    attempt = services.start_attempt(user=User.objects.get(username="peserta"),
                                     token=session.token)
    assert attempt.items.filter(question__kind="mc").count() == 15 * 3  # Pengawas: 15 units
