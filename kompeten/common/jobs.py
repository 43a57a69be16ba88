"""Background jobs: every bulk or slow piece of work leaves the request through dispatch().

Where a job runs (settings.BACKGROUND_JOBS):

* "celery" (the default when CELERY_BROKER_URL is set): a BackgroundJob row written in the
  caller's transaction, handed to Celery (`execute`) after the commit;
* "worker" (the default otherwise): the same row, picked up by `python manage.py run_jobs`
  (`make run` starts it);
* "eager" (tests): the task runs in-process once the transaction commits (no row).

Rules for every job, now and later (letters, e-mails, publication mails, reminders,
certificates, monev waves, closing attempts) — a job may run twice, or stop anywhere:

1. The row is the truth. A worker claims it with a conditional UPDATE (queued → running,
   with its own claim token) before running the task; a second delivery of the same Celery
   message finds it running or done and does nothing. Celery acknowledges late
   (CELERY_TASK_ACKS_LATE, reject on worker lost), so a dead worker's message comes back.
2. Units of work are claimed too. A task that does many things (one letter, one e-mail, one
   certificate) claims each unit in the database before doing it (a conditional UPDATE
   pending → sending/working, or select_for_update(skip_locked=True)) and marks it done in
   its own transaction after, so a rerun skips what is done and two runs never do one unit
   twice. Counters shown on progress pages are counted from the units, never incremented.
3. E-mails go through the outbox (kompeten.common.mail.queue_email): one OutgoingMail row per
   mail, with a unique ``key`` per unit (e.g. f"reminder:{reminder.pk}:{registration.pk}"),
   recorded "sending" before the mail server is called and "sent" after. An e-mail found
   "sending" by the reaper is marked failed as *uncertain*, never resent automatically.
4. One unit's error is recorded on that unit (status failed + error text) and the task goes
   on with the next; only an error of the whole job (the database gone) escapes.
5. A long task calls ``beat()`` between units: it refreshes the heartbeat and raises
   JobCancelled when the organiser cancelled the job. A job whose heartbeat is older than
   JOB_STALE_SECONDS has lost its worker: the reaper (``reap()``: Celery beat, the run_jobs
   worker, or cron `manage.py reap_jobs`) queues it again, and in Celery mode hands it over
   again, so it finishes within minutes of a restart.
6. Cancel and retry: ``cancel(job_id=)`` and ``retry(job_id=)`` — and a page of the app that
   owns the work offers them to the organiser (asking first), like the letters job page.

A task is a Celery task (shared_task) or any function importable by its dotted name; it is
called with the stored keyword arguments, which must be JSON.
"""

import contextvars
import logging
import os
import secrets
import socket
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from kompeten.common.models import BackgroundJob, BackgroundJobStatus

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
RETRY_DELAY = timedelta(seconds=30)
ACTIVE = (BackgroundJobStatus.QUEUED, BackgroundJobStatus.RUNNING)


class JobCancelled(Exception):
    """Raised by beat() inside a task whose job the organiser cancelled."""


@dataclass
class _Current:
    job_id: int
    token: str
    beaten_at: float


_current: contextvars.ContextVar[_Current | None] = contextvars.ContextVar("job", default=None)


def stale_after() -> timedelta:
    return timedelta(seconds=settings.JOB_STALE_SECONDS)


def _task_name(task: Callable) -> str:
    return getattr(task, "name", None) or f"{task.__module__}.{task.__qualname__}"


def _hand_to_celery(job_id: int, *, countdown: float = 0) -> None:
    BackgroundJob.objects.filter(pk=job_id).update(dispatched_at=timezone.now())
    execute.apply_async(kwargs={"job_id": job_id}, countdown=countdown or None)


def dispatch(task: Callable, **kwargs) -> BackgroundJob | None:
    """Run task(**kwargs) outside the request, once the current transaction has committed
    (never for a change that is rolled back). Returns the job's row (None in eager mode)."""
    mode = settings.BACKGROUND_JOBS
    if mode == "eager":
        transaction.on_commit(lambda: task(**kwargs))
        return None
    job = BackgroundJob.objects.create(task=_task_name(task), kwargs=kwargs)
    if mode == "celery":
        transaction.on_commit(lambda: _hand_to_celery(job.pk))
    return job


def _new_token() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"


def _claim_one(job_id: int) -> BackgroundJob | None:
    """Take the job if it is queued (or running under a worker that stopped beating)."""
    now = timezone.now()
    token = _new_token()
    claimable = Q(status=BackgroundJobStatus.QUEUED) | Q(
        status=BackgroundJobStatus.RUNNING, heartbeat_at__lt=now - stale_after())
    job = BackgroundJob.objects.filter(pk=job_id).first()
    if job is None:
        return None
    claimed = BackgroundJob.objects.filter(claimable, pk=job_id).update(
        status=BackgroundJobStatus.RUNNING, started_at=now, heartbeat_at=now,
        claim_token=token, attempts=job.attempts + 1)
    if not claimed:
        return None
    job.refresh_from_db()
    return job


def _claim() -> BackgroundJob | None:
    """Mark the next due job running; None when there is none. Safe with several workers:
    the conditional update lets only one of them have it."""
    while True:
        job = (BackgroundJob.objects.filter(status=BackgroundJobStatus.QUEUED,
                                            run_after__lte=timezone.now())
               .order_by("run_after", "pk").first())
        if job is None:
            return None
        claimed = _claim_one(job.pk)
        if claimed is not None:
            return claimed


def beat() -> None:
    """Inside a task: refresh the job's heartbeat (at most every JOB_HEARTBEAT_SECONDS) and
    raise JobCancelled when the job was cancelled. Outside a job (eager mode) it does nothing."""
    current = _current.get()
    if current is None:
        return
    now = time.monotonic()
    if now - current.beaten_at < settings.JOB_HEARTBEAT_SECONDS:
        return
    current.beaten_at = now
    alive = BackgroundJob.objects.filter(
        pk=current.job_id, claim_token=current.token,
        status=BackgroundJobStatus.RUNNING).update(heartbeat_at=timezone.now())
    if not alive:
        raise JobCancelled(current.job_id)


def _finish(job: BackgroundJob, **changes) -> None:
    BackgroundJob.objects.filter(pk=job.pk, claim_token=job.claim_token,
                                 status=BackgroundJobStatus.RUNNING).update(
        claim_token="", heartbeat_at=None, **changes)


def run_job(job: BackgroundJob) -> None:
    """Run a claimed job and record how it ended (under its claim token only)."""
    reset = _current.set(_Current(job.pk, job.claim_token, time.monotonic()))
    try:
        import_string(job.task)(**job.kwargs)
    except JobCancelled:
        log.info("background job %s stopped: cancelled", job)
    except Exception:  # noqa: BLE001 - a failing job must not stop the worker
        error = traceback.format_exc()
        log.warning("background job %s failed (attempt %s): %s", job, job.attempts, error)
        retry_it = job.attempts < MAX_ATTEMPTS
        delay = RETRY_DELAY * 2 ** (job.attempts - 1)
        _finish(job, status=BackgroundJobStatus.QUEUED if retry_it
                else BackgroundJobStatus.FAILED,
                run_after=timezone.now() + delay, error=error[-5000:],
                finished_at=None if retry_it else timezone.now())
        if retry_it and settings.BACKGROUND_JOBS == "celery":
            _hand_to_celery(job.pk, countdown=delay.total_seconds())
    else:
        _finish(job, status=BackgroundJobStatus.DONE, finished_at=timezone.now(), error="")
    finally:
        _current.reset(reset)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def execute(*, job_id: int) -> str:
    """The Celery side: claim the job's row and run it; a repeated delivery does nothing."""
    job = _claim_one(job_id)
    if job is None:
        return "skipped"
    run_job(job)
    return "ran"


def run_pending() -> int:
    """Run every job that is due now (what one round of the worker does); how many ran."""
    count = 0
    while (job := _claim()) is not None:
        run_job(job)
        count += 1
    return count


# -- the reaper ----------------------------------------------------------------------------------

_reapers: list[Callable[[], int]] = []


def register_reaper(reaper: Callable[[], int]) -> None:
    """Another app's clean-up of its own stale units (called by reap(); returns a count)."""
    if reaper not in _reapers:
        _reapers.append(reaper)


@dataclass
class Reaped:
    requeued: int = 0
    redispatched: int = 0
    mails_uncertain: int = 0
    units: int = 0


def reap() -> Reaped:
    """Recover work whose worker died: running jobs without a heartbeat for JOB_STALE_SECONDS
    are queued again (and, with Celery, handed over again, as are queued jobs whose message
    was lost); e-mails left "sending" are marked failed as uncertain."""
    from kompeten.common.mail import reap_stale_mails

    now = timezone.now()
    cutoff = now - stale_after()
    result = Reaped()
    result.requeued = BackgroundJob.objects.filter(
        status=BackgroundJobStatus.RUNNING, heartbeat_at__lt=cutoff).update(
        status=BackgroundJobStatus.QUEUED, claim_token="", heartbeat_at=None, run_after=now)
    if settings.BACKGROUND_JOBS == "celery":
        lost = BackgroundJob.objects.filter(
            Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=cutoff),
            status=BackgroundJobStatus.QUEUED, run_after__lte=now,
            created_at__lt=now - timedelta(seconds=5))
        for job_id in lost.values_list("pk", flat=True):
            _hand_to_celery(job_id)
            result.redispatched += 1
    result.mails_uncertain = reap_stale_mails(older_than=cutoff)
    for reaper in _reapers:
        try:
            result.units += reaper()
        except Exception:  # noqa: BLE001 - one app's reaper must not stop the others
            log.exception("reaper %s failed", reaper)
    if result.requeued or result.redispatched or result.mails_uncertain or result.units:
        log.warning("reaper: %s", result)
    return result


@shared_task
def reap_task() -> dict:
    """Celery beat runs this every JOB_REAP_SECONDS (kompeten/celery.py)."""
    return reap().__dict__


def requeue_interrupted() -> int:
    """Queue again the jobs whose worker stopped (heartbeat older than JOB_STALE_SECONDS)."""
    return reap().requeued


# -- organiser actions ---------------------------------------------------------------------------

@transaction.atomic
def cancel(*, job_id: int) -> bool:
    """Stop a queued or running job: a queued one never starts, a running one stops at its
    next beat(). True when it was still active."""
    return bool(BackgroundJob.objects.filter(pk=job_id, status__in=ACTIVE).update(
        status=BackgroundJobStatus.CANCELLED, finished_at=timezone.now(), claim_token="",
        heartbeat_at=None))


@transaction.atomic
def retry(*, job_id: int) -> bool:
    """Queue a failed or cancelled job again (its task skips the units already done)."""
    updated = BackgroundJob.objects.filter(
        pk=job_id, status__in=[BackgroundJobStatus.FAILED, BackgroundJobStatus.CANCELLED]
    ).update(status=BackgroundJobStatus.QUEUED, run_after=timezone.now(), finished_at=None,
             attempts=0, error="")
    if updated and settings.BACKGROUND_JOBS == "celery":
        transaction.on_commit(lambda: _hand_to_celery(job_id))
    return bool(updated)


def cancel_task_jobs(task: Callable, **kwargs) -> int:
    """Cancel the active jobs of a task with these arguments (e.g. one letters job)."""
    count = 0
    for job in BackgroundJob.objects.filter(task=_task_name(task), status__in=ACTIVE):
        if all(job.kwargs.get(key) == value for key, value in kwargs.items()):
            count += cancel(job_id=job.pk)
    return count


def purge_finished(*, older_than: timedelta = timedelta(days=7)) -> int:
    """Forget jobs that ended long ago (failed ones too: their error was logged)."""
    count, _ = BackgroundJob.objects.filter(
        status__in=[BackgroundJobStatus.DONE, BackgroundJobStatus.FAILED,
                    BackgroundJobStatus.CANCELLED],
        finished_at__lt=timezone.now() - older_than).delete()
    return count


def work(*, poll_seconds: float = 1.0) -> None:
    """The worker loop: run due jobs, sleep when there are none; reap every JOB_REAP_SECONDS
    (several workers may run: claims keep them apart); purge old jobs hourly."""
    purged_at = reaped_at = 0.0
    while True:
        if time.monotonic() - reaped_at > settings.JOB_REAP_SECONDS:
            reap()
            reaped_at = time.monotonic()
        if time.monotonic() - purged_at > 3600:
            purge_finished()
            purged_at = time.monotonic()
        if not run_pending():
            time.sleep(poll_seconds)
