"""Background jobs: with no broker, bulk work is queued in the database and run by the worker,
never inside the request."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from kompeten.accounts.models import Role
from kompeten.classroom import publication
from kompeten.common import jobs
from kompeten.common.models import BackgroundJob, BackgroundJobStatus, MailStatus, OutgoingMail
from kompeten.letters.models import AnnouncementLetter, JobStatus, LetterStatus, SendJob
from tests.test_publication import placed  # noqa: F401 - fixture

CALLS = []


def record_call(*, value: int) -> None:
    CALLS.append(value)


def fail_always(*, value: int) -> None:
    raise RuntimeError(f"rusak {value}")


@pytest.fixture
def worker_mode(settings):
    """The default without a broker (tests otherwise run jobs eagerly)."""
    settings.BACKGROUND_JOBS = "worker"
    CALLS.clear()


def test_without_a_broker_the_default_is_the_worker_queue(settings):
    from kompeten import settings as kompeten_settings
    assert kompeten_settings.CELERY_BROKER_URL or kompeten_settings.BACKGROUND_JOBS == "worker"


def test_sending_letters_returns_at_once_and_the_worker_sends_them(client, world, worker_mode,
                                                                     django_capture_on_commit_callbacks):
    client.force_login(world["users"][Role.ORGANISER])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("letters:send"), {"scope": "unsent", "confirm": "1"})
    job = SendJob.objects.exclude(pk=world["letter_job"].pk).get()
    assert response.url == reverse("letters:job", args=[job.pk])
    # Nothing was sent inside the request: the job waits for the worker.
    assert mail.outbox == []
    assert job.status == JobStatus.QUEUED
    assert AnnouncementLetter.objects.filter(job=job, status=LetterStatus.PENDING).count() == 2
    page = client.get(response.url).content.decode()
    assert 'hx-trigger="every 2s"' in page and 'aria-valuenow="0"' in page
    queued = BackgroundJob.objects.get()
    assert (queued.task, queued.kwargs) == ("kompeten.letters.tasks.send_letters",
                                            {"job_id": job.pk})
    call_command("run_jobs", "--once")
    job.refresh_from_db()
    assert (job.status, job.sent) == (JobStatus.FINISHED, 2)
    assert len(mail.outbox) == 2
    assert BackgroundJob.objects.get().status == BackgroundJobStatus.DONE
    page = client.get(response.url).content.decode()
    assert 'aria-valuenow="100"' in page and "hx-trigger" not in page


def test_publication_emails_leave_the_request(placed, worker_mode):  # noqa: F811
    result = publication.publish(program=placed["program"],
                                 by=placed["users"][Role.ORGANISER])
    assert result.emails > 0 and mail.outbox == []
    assert BackgroundJob.objects.filter(task="kompeten.common.mail.deliver").count() \
        == result.emails
    assert jobs.run_pending() == result.emails
    assert len(mail.outbox) == result.emails
    assert OutgoingMail.objects.filter(status=MailStatus.SENT).count() == result.emails


def test_a_rolled_back_change_queues_nothing(db, worker_mode):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.dispatch(record_call, value=1)
        raise RuntimeError
    assert not BackgroundJob.objects.exists()


def test_a_failing_job_is_retried_later_then_given_up(db, worker_mode):
    jobs.dispatch(fail_always, value=7)
    jobs.dispatch(record_call, value=8)
    assert jobs.run_pending() == 2  # the failure does not stop the next job
    assert CALLS == [8]
    failing = BackgroundJob.objects.get(task__endswith="fail_always")
    assert (failing.status, failing.attempts) == (BackgroundJobStatus.QUEUED, 1)
    assert "rusak 7" in failing.error
    assert jobs.run_pending() == 0  # not due yet
    for attempt in (2, 3):
        BackgroundJob.objects.filter(pk=failing.pk).update(run_after=failing.created_at)
        assert jobs.run_pending() == 1
        failing.refresh_from_db()
        assert failing.attempts == attempt
    assert failing.status == BackgroundJobStatus.FAILED and failing.finished_at


def test_jobs_interrupted_by_a_stopped_worker_run_again(db, worker_mode):
    from datetime import timedelta

    from django.utils import timezone

    jobs.dispatch(record_call, value=3)
    BackgroundJob.objects.update(status=BackgroundJobStatus.RUNNING, claim_token="dead:1",
                                 heartbeat_at=timezone.now() - timedelta(hours=1))
    assert jobs.run_pending() == 0
    assert jobs.requeue_interrupted() == 1
    assert jobs.run_pending() == 1 and CALLS == [3]


def test_eager_mode_runs_on_commit(db, settings, django_capture_on_commit_callbacks):
    settings.BACKGROUND_JOBS = "eager"
    CALLS.clear()
    with django_capture_on_commit_callbacks(execute=True):
        jobs.dispatch(record_call, value=5)
    assert CALLS == [5] and not BackgroundJob.objects.exists()


def test_slowest_requests_prints_the_timings_of_every_role(world):
    from io import StringIO

    from tests.conftest import make_user

    make_user(Role.ORGANISER, username="penyelenggara")
    make_user(Role.OPERATOR, username="operator", agency=world["agency_a"])
    out = StringIO()
    # Every route is printed (--top above their number): the roles asserted below are among
    # them whatever their timings on a loaded machine.
    call_command("slowest_requests", "--top", "10000", "--limit", "30", stdout=out)
    text = out.getvalue()
    assert "seconds queries status" in text and "No request over 30.0 s." in text
    for role, url in (("anonymous", "/"), ("penyelenggara", "/surat-pemberitahuan/"),
                      ("operator", "/usulan/")):
        assert any(line.split()[3:5] == [role, url] for line in text.splitlines()[2:]
                   if len(line.split()) >= 5), (role, url)
