"""Background work that cannot be lost or doubled (issue 15): jobs and e-mails claimed in the
database, the reaper, cancel and retry, and the letters job claimed per letter."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from kompeten.accounts.models import Role
from kompeten.common import jobs
from kompeten.common import mail as outbox
from kompeten.common.models import BackgroundJob, BackgroundJobStatus, MailStatus, OutgoingMail
from kompeten.letters import services
from kompeten.letters.models import AnnouncementLetter, JobStatus, LetterStatus, SendJob
from kompeten.programs.models import Agency, AgencyKind

CALLS: list[int] = []


def record_call(*, value: int) -> None:
    CALLS.append(value)


def beating(*, value: int) -> None:
    """A long task: beats between its units."""
    for _ in range(value):
        jobs.beat()
        CALLS.append(value)


@pytest.fixture
def worker_mode(settings):
    settings.BACKGROUND_JOBS = "worker"
    CALLS.clear()


def _ago(seconds: float):
    return timezone.now() - timedelta(seconds=seconds)


# -- jobs ------------------------------------------------------------------------------------

def test_a_second_delivery_of_a_job_does_nothing(db, worker_mode):
    job = jobs.dispatch(record_call, value=1)
    assert jobs.execute(job_id=job.pk) == "ran"
    assert jobs.execute(job_id=job.pk) == "skipped"  # the broker handed it out again
    assert CALLS == [1]
    job.refresh_from_db()
    assert (job.status, job.attempts, job.claim_token) == (BackgroundJobStatus.DONE, 1, "")


def test_a_job_that_another_worker_runs_is_not_taken(db, worker_mode):
    job = jobs.dispatch(record_call, value=2)
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=BackgroundJobStatus.RUNNING, claim_token="other:1", heartbeat_at=timezone.now())
    assert jobs.execute(job_id=job.pk) == "skipped"
    assert jobs.run_pending() == 0 and CALLS == []
    # ... until its heartbeat is stale: then its worker is dead and the job is taken over
    BackgroundJob.objects.filter(pk=job.pk).update(heartbeat_at=_ago(3600))
    assert jobs.execute(job_id=job.pk) == "ran" and CALLS == [2]


def test_running_needs_a_claim_in_the_database(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        BackgroundJob.objects.create(task="x", status=BackgroundJobStatus.RUNNING)


def test_the_reaper_requeues_only_jobs_whose_heartbeat_stopped(db, worker_mode, settings):
    settings.JOB_STALE_SECONDS = 60
    dead = jobs.dispatch(record_call, value=3)
    alive = jobs.dispatch(record_call, value=4)
    BackgroundJob.objects.filter(pk=dead.pk).update(
        status=BackgroundJobStatus.RUNNING, claim_token="dead:1", heartbeat_at=_ago(61))
    BackgroundJob.objects.filter(pk=alive.pk).update(
        status=BackgroundJobStatus.RUNNING, claim_token="alive:1", heartbeat_at=_ago(5))
    call_command("reap_jobs")
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == BackgroundJobStatus.QUEUED and dead.claim_token == ""
    assert alive.status == BackgroundJobStatus.RUNNING
    assert jobs.run_pending() == 1 and CALLS == [3]


def test_a_finished_run_that_lost_its_claim_does_not_overwrite_the_new_one(db, worker_mode):
    job = jobs.dispatch(record_call, value=5)
    claimed = jobs._claim_one(job.pk)
    # the reaper gave the job to another worker meanwhile
    BackgroundJob.objects.filter(pk=job.pk).update(claim_token="second:1")
    jobs.run_job(claimed)
    job.refresh_from_db()
    assert (job.status, job.claim_token) == (BackgroundJobStatus.RUNNING, "second:1")


def test_beat_keeps_the_heartbeat_and_cancel_stops_the_task(db, worker_mode, settings):
    settings.JOB_HEARTBEAT_SECONDS = 0
    job = jobs.dispatch(beating, value=3)
    claimed = jobs._claim_one(job.pk)
    BackgroundJob.objects.filter(pk=job.pk).update(heartbeat_at=_ago(100))
    jobs.run_job(claimed)
    assert CALLS == [3, 3, 3]
    job = jobs.dispatch(beating, value=2)
    assert jobs.cancel(job_id=job.pk)
    assert jobs.run_pending() == 0  # a cancelled job never starts
    assert jobs.retry(job_id=job.pk)
    claimed = jobs._claim_one(job.pk)
    jobs.cancel(job_id=job.pk)  # the organiser cancels while it runs
    jobs.run_job(claimed)
    job.refresh_from_db()
    assert job.status == BackgroundJobStatus.CANCELLED
    assert CALLS == [3, 3, 3]  # stopped at its first beat


def test_celery_mode_hands_the_job_over_after_commit_and_again_when_lost(
        db, settings, django_capture_on_commit_callbacks):
    settings.BACKGROUND_JOBS = "celery"  # Celery itself runs eagerly without a broker
    CALLS.clear()
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.dispatch(record_call, value=6)
    job.refresh_from_db()
    assert CALLS == [6] and job.status == BackgroundJobStatus.DONE and job.dispatched_at
    lost = BackgroundJob.objects.create(task=job.task, kwargs={"value": 7},
                                        dispatched_at=_ago(3600))
    BackgroundJob.objects.filter(pk=lost.pk).update(created_at=_ago(3600))
    assert jobs.reap().redispatched == 1
    assert CALLS == [6, 7]


# -- e-mails ---------------------------------------------------------------------------------

def test_a_mail_is_queued_once_per_key_and_sent_once(db, worker_mode):
    first = outbox.queue_email(subject="Pengingat", body="b", to=["a@b.example"], key="r:1:2")
    again = outbox.queue_email(subject="Pengingat", body="b", to=["a@b.example"], key="r:1:2")
    assert first.pk == again.pk and OutgoingMail.objects.count() == 1
    outbox.deliver(mail_id=first.pk)
    outbox.deliver(mail_id=first.pk)  # a second delivery of the job
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["X-Kompeten-Key"] == "r:1:2"
    first.refresh_from_db()
    assert (first.status, first.attempts) == (MailStatus.SENT, 1)


def test_a_mail_being_sent_is_not_sent_again_and_a_stale_one_becomes_uncertain(
        db, worker_mode, settings):
    settings.JOB_STALE_SECONDS = 60
    queued = outbox.queue_email(subject="S", body="b", to=["a@b.example"])
    OutgoingMail.objects.filter(pk=queued.pk).update(status=MailStatus.SENDING,
                                                     claimed_at=_ago(5))
    outbox.deliver(mail_id=queued.pk)
    assert mail.outbox == []
    with pytest.raises(Exception, match="sedang dikirim"):
        outbox.retry(mail=queued)
    assert jobs.reap().mails_uncertain == 0
    OutgoingMail.objects.filter(pk=queued.pk).update(claimed_at=_ago(61))
    assert jobs.reap().mails_uncertain == 1
    queued.refresh_from_db()
    assert queued.status == MailStatus.FAILED and "mungkin sudah terkirim" in queued.error
    assert mail.outbox == []  # never resent by itself; a person retries
    outbox.retry(mail=queued)
    assert jobs.run_pending() >= 1 and len(mail.outbox) == 1


# -- the letters job -------------------------------------------------------------------------

@pytest.fixture
def three(db, agency_a, agency_b):
    return [agency_a, agency_b, Agency.objects.create(
        code="KL-31", name="Kementerian Uji", kind=AgencyKind.KL_PUSAT, email="kl@uji.example")]


def _queued_job(program, organiser, captured):
    with captured(execute=False):
        return services.start_send_job(program=program, by=organiser)


def test_a_letter_left_sending_by_a_dead_run_is_sent_once(
        program, three, users, settings, django_capture_on_commit_callbacks):
    settings.JOB_STALE_SECONDS = 60
    job = _queued_job(program, users[Role.ORGANISER], django_capture_on_commit_callbacks)
    letters = list(job.letters.order_by("seq"))
    # run 1 died: one letter claimed but not yet handed to the mail server, one handed over
    AnnouncementLetter.objects.filter(pk=letters[0].pk).update(
        status=LetterStatus.SENDING, claimed_at=_ago(120))
    AnnouncementLetter.objects.filter(pk=letters[1].pk).update(
        status=LetterStatus.SENDING, claimed_at=_ago(120), mail_started_at=_ago(119))
    services.run_send_job(job_id=job.pk)
    job.refresh_from_db()
    statuses = dict(job.letters.values_list("pk", "status"))
    assert statuses == {letters[0].pk: LetterStatus.SENT, letters[1].pk: LetterStatus.FAILED,
                        letters[2].pk: LetterStatus.SENT}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([letters[0].agency.email,
                                                           letters[2].agency.email])
    assert "mungkin sudah terkirim" in job.letters.get(pk=letters[1].pk).error
    assert (job.status, job.sent, job.failed, job.total) == (JobStatus.FINISHED, 2, 1, 3)


def test_a_run_waits_for_a_letter_another_run_holds(
        program, three, users, settings, django_capture_on_commit_callbacks):
    settings.JOB_STALE_SECONDS = 0.5
    job = _queued_job(program, users[Role.ORGANISER], django_capture_on_commit_callbacks)
    held = job.letters.order_by("seq").first()
    AnnouncementLetter.objects.filter(pk=held.pk).update(status=LetterStatus.SENDING,
                                                         claimed_at=timezone.now())
    started = time.monotonic()
    services.run_send_job(job_id=job.pk)
    assert time.monotonic() - started < 5
    job.refresh_from_db()
    assert (job.status, job.sent) == (JobStatus.FINISHED, 3) and len(mail.outbox) == 3


def test_a_storage_error_fails_that_letter_only(
        program, three, users, monkeypatch, django_capture_on_commit_callbacks):
    real = services.save_new
    first_code = sorted(three, key=lambda a: a.name)[0].code

    def flaky(folder, data, *, suffix):
        letter_pk = int(folder.rsplit("/", 1)[1])
        if AnnouncementLetter.objects.get(pk=letter_pk).agency.code == first_code:
            raise OSError("S3 503 SlowDown")
        return real(folder, data, suffix=suffix)

    monkeypatch.setattr(services, "save_new", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_send_job(program=program, by=users[Role.ORGANISER])
    job.refresh_from_db()
    assert (job.status, job.sent, job.failed) == (JobStatus.FINISHED, 2, 1)
    failed = job.letters.get(status=LetterStatus.FAILED)
    assert failed.agency.code == first_code and "SlowDown" in failed.error
    assert len(mail.outbox) == 2


def test_sending_again_keeps_every_pdf_that_was_emailed(
        program, three, users, django_capture_on_commit_callbacks):
    organiser = users[Role.ORGANISER]
    with django_capture_on_commit_callbacks(execute=True):
        services.start_send_job(program=program, by=organiser)
    letter = AnnouncementLetter.objects.get(agency=three[0])
    first_name = letter.pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        services.start_send_job(program=program, by=organiser, scope="all")
    letter.refresh_from_db()
    assert letter.pdf.name != first_name
    assert letter.pdf.storage.exists(first_name) and letter.pdf.storage.exists(letter.pdf.name)


def test_cancel_and_retry_from_the_job_page(client, program, three, users,
                                            django_capture_on_commit_callbacks):
    client.force_login(users[Role.ORGANISER])
    job = _queued_job(program, users[Role.ORGANISER], django_capture_on_commit_callbacks)
    page = client.get(reverse("letters:job", args=[job.pk])).content.decode()
    assert reverse("letters:job_cancel", args=[job.pk]) in page
    ask = client.get(reverse("letters:job_cancel", args=[job.pk])).content.decode()
    assert "Batalkan pengiriman?" in ask and 'id="job-action-confirm"' in ask
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED  # asking changed nothing
    client.post(reverse("letters:job_cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    services.run_send_job(job_id=job.pk)  # the queued task runs late: it sends nothing
    assert mail.outbox == []
    ask = client.get(reverse("letters:job_retry", args=[job.pk])).content.decode()
    assert "3 surat yang gagal atau belum terkirim" in ask
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("letters:job_retry", args=[job.pk]))
    assert response.url == reverse("letters:job", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.sent) == (JobStatus.FINISHED, 3) and len(mail.outbox) == 3
    client.post(reverse("letters:job_retry", args=[job.pk]))  # nothing left to retry
    assert len(mail.outbox) == 3


def test_counters_are_counted_from_the_letters(program, three, users,
                                               django_capture_on_commit_callbacks):
    job = _queued_job(program, users[Role.ORGANISER], django_capture_on_commit_callbacks)
    services.run_send_job(job_id=job.pk)
    SendJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    services.run_send_job(job_id=job.pk)  # delivered twice: counts stay within the total
    job.refresh_from_db()
    assert (job.sent, job.failed, job.total) == (3, 0, 3) and len(mail.outbox) == 3


@pytest.mark.parametrize("action", ["job_cancel", "job_retry"])
def test_the_confirmation_pages_keep_a_constant_number_of_queries(
        client, program, agency_a, users, action, django_capture_on_commit_callbacks):
    from tests.queries import count_queries

    client.force_login(users[Role.ORGANISER])
    counts = []
    for extra in (1, 8):
        Agency.objects.bulk_create([Agency(code=f"KL-{action[-3:]}-{len(counts)}-{n}",
                                           name=f"Kementerian {n}", kind=AgencyKind.KL_PUSAT,
                                           email=f"k{n}@uji.example") for n in range(extra)])
        job = _queued_job(program, users[Role.ORGANISER], django_capture_on_commit_callbacks)
        url = reverse(f"letters:{action}", args=[job.pk])
        counts.append(count_queries(client, url))
        SendJob.objects.filter(pk=job.pk).update(status=JobStatus.CANCELLED)
    assert counts[0] == counts[1]


def test_a_new_sending_waits_for_the_letter_a_cancelled_run_still_sends(
        program, three, users, settings, django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError

    settings.JOB_STALE_SECONDS = 60
    organiser = users[Role.ORGANISER]
    job = _queued_job(program, organiser, django_capture_on_commit_callbacks)
    services.cancel_job(job=job, by=organiser)
    letter = job.letters.order_by("seq").first()
    AnnouncementLetter.objects.filter(pk=letter.pk).update(status=LetterStatus.SENDING,
                                                           claimed_at=timezone.now())
    with pytest.raises(ValidationError, match="masih sedang dikirim"):
        services.start_send_job(program=program, by=organiser)
    AnnouncementLetter.objects.filter(pk=letter.pk).update(claimed_at=_ago(120))
    assert jobs.reap().units == 1  # the letters app's reaper: back to pending
    letter.refresh_from_db()
    assert letter.status == LetterStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        again = services.start_send_job(program=program, by=organiser)
    again.refresh_from_db()
    assert (again.sent, again.total) == (3, 3) and len(mail.outbox) == 3
