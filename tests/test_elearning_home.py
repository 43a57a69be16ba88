"""The facilitator's home: resumes waiting and forum questions unanswered per batch; the
forum digest's schedule."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils.module_loading import import_string

from kompeten.access.services import assign_staff
from kompeten.accounts.models import Role
from kompeten.elearning import selectors, services
from kompeten.programs.models import ProgramModule
from kompeten.registration.models import Registration
from tests.conftest import make_user
from tests.elearning_samples import RESUME_TEXT, place
from tests.queries import count_queries


def _participant(program, agency, batch, n: int):
    user = make_user(Role.PARTICIPANT, username=f"peserta-{n}")
    registration = Registration.objects.create(
        program=program, agency=agency, level=batch.level, seat=200 + n, status="accepted",
        nip=f"19800101200501{n:04d}", birth_date=dt.date(1980, 1, 1), gender="L",
        full_name=f"Peserta {n:03d}", plain_name=f"Peserta {n:03d}", position="Kepala Seksi",
        email=f"p{n}@instansi.example", user=user)
    place(registration, batch, seat=n)
    return user


def _modules(batch):
    return list(ProgramModule.objects.filter(program=batch.program, level=batch.level))


def _activity(program, agency, batch, facilitator, n: int) -> None:
    """One waiting resume, one accepted; one thread answered, two not (one of them a
    follow-up after the answer)."""
    first, second = (_participant(program, agency, batch, n), _participant(program, agency,
                                                                           batch, n + 1))
    module, other = _modules(batch)[:2]
    services.submit_resume(module=module, by=first, text=RESUME_TEXT)
    accepted = services.submit_resume(module=other, by=second, text=RESUME_TEXT)
    services.review_resume(resume=accepted, by=facilitator, accept=True)
    services.start_thread(batch=batch, module=module, title="Belum dijawab", body="?", by=first)
    answered = services.start_thread(batch=batch, module=module, title="Dijawab", body="?",
                                     by=second)
    services.reply(thread=answered, body="Jawaban.", by=facilitator)
    followed = services.start_thread(batch=batch, module=other, title="Lanjutan", body="?",
                                     by=first)
    services.reply(thread=followed, body="Jawaban.", by=facilitator)
    services.reply(thread=followed, body="Pertanyaan lanjutan?", by=second)


@pytest.fixture
def served(program, agency_a, users):
    facilitator = users[Role.FACILITATOR]
    batch = program.batches.get(number=4)
    assign_staff(batch=batch, user=facilitator)
    return {"program": program, "agency": agency_a, "batch": batch, "facilitator": facilitator}


def _row(page: str, batch) -> tuple[int, int]:
    waiting = re.search(rf'href="{reverse("elearning:batch_progress", args=[batch.pk])}'
                        r'#resumes-waiting" class="waiting[^"]*">(\d+)<', page)
    unanswered = re.search(rf'href="{reverse("elearning:forum_batch", args=[batch.pk])}" '
                           r'class="unanswered[^"]*">(\d+)<', page)
    return int(waiting.group(1)), int(unanswered.group(1))


def test_facilitator_home_counts_waiting_resumes_and_unanswered_questions(served, client):
    program, batch, facilitator = served["program"], served["batch"], served["facilitator"]
    _activity(program, served["agency"], batch, facilitator, 1)
    not_served = program.batches.get(number=5)
    _activity(program, served["agency"], not_served, make_user(Role.ORGANISER, username="org2"),
              11)
    hidden = services.start_thread(batch=batch, module=_modules(batch)[0], title="Spam",
                                   body="x", by=facilitator)
    spam = services.reply(thread=hidden, body="Jual pulsa", by=_participant(
        program, served["agency"], batch, 21))
    services.hide_post(post=spam, by=make_user(Role.ORGANISER, username="org3"), reason="Iklan")

    inbox = selectors.facilitator_inbox(user=facilitator, program=program)
    assert [(b.number, b.waiting, b.unanswered) for b in inbox] == [(4, 1, 2)]
    client.force_login(facilitator)
    page = client.get(reverse("home")).content.decode()
    assert 'id="facilitator-inbox"' in page and "Pertanyaan forum belum dijawab" in page
    assert _row(page, batch) == (1, 2)
    assert reverse("elearning:forum_batch", args=[not_served.pk]) not in page


def test_facilitator_home_costs_the_same_with_more_batches_and_threads(served, client):
    program, facilitator = served["program"], served["facilitator"]
    _activity(program, served["agency"], served["batch"], facilitator, 1)
    client.force_login(facilitator)
    before = count_queries(client, reverse("home"))
    for n, number in enumerate((6, 7, 8)):
        batch = program.batches.get(number=number)
        assign_staff(batch=batch, user=facilitator)
        _activity(program, served["agency"], batch, facilitator, 30 + 10 * n)
    page = client.get(reverse("home")).content.decode()
    assert page.count('class="unanswered') == 4
    assert count_queries(client, reverse("home")) == before


def test_organiser_home_has_no_facilitator_inbox(served, client, users):
    client.force_login(users[Role.ORGANISER])
    page = client.get(reverse("home")).content.decode()
    assert 'id="elearning-staff-panel"' in page and 'id="facilitator-inbox"' not in page


def test_beat_schedule_runs_the_forum_digest_daily_at_six_jakarta_time(settings):
    from celery.schedules import crontab

    from kompeten.celery import app

    entry = app.conf.beat_schedule["send-forum-digests"]
    task = import_string(entry["task"])
    assert task.name == entry["task"]
    assert entry["schedule"] == crontab(hour=6, minute=0)
    assert app.conf.timezone == settings.TIME_ZONE == "Asia/Jakarta"


def test_scheduled_digest_task_queues_one_job_per_batch(served, django_capture_on_commit_callbacks):
    from kompeten.elearning.tasks import send_forum_digests

    batch = served["batch"]
    services.start_thread(batch=batch, module=_modules(batch)[0], title="T", body="isi",
                          by=_participant(served["program"], served["agency"], batch, 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_forum_digests.delay().get() == 1
