"""Background jobs: every bulk or slow piece of work leaves the request through dispatch().

Three modes (settings.BACKGROUND_JOBS):

* "celery" (the default when CELERY_BROKER_URL is set): task.delay() after commit;
* "worker" (the default otherwise): a BackgroundJob row, written in the caller's transaction,
  that the `python manage.py run_jobs` worker picks up (`make run` starts it);
* "eager" (tests): the task runs in-process once the transaction commits.

A task is a Celery task (shared_task) or any function importable by its dotted name; the
worker calls it with the stored keyword arguments, which must be JSON.
"""

import logging
import time
import traceback
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from kompeten.common.models import BackgroundJob, BackgroundJobStatus

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
RETRY_DELAY = timedelta(seconds=30)


def _task_name(task: Callable) -> str:
    return getattr(task, "name", None) or f"{task.__module__}.{task.__qualname__}"


def dispatch(task: Callable, **kwargs) -> None:
    """Run task(**kwargs) outside the request, once the current transaction has committed
    (never for a change that is rolled back)."""
    mode = settings.BACKGROUND_JOBS
    if mode == "celery":
        transaction.on_commit(lambda: task.delay(**kwargs))
    elif mode == "eager":
        transaction.on_commit(lambda: task(**kwargs))
    else:
        BackgroundJob.objects.create(task=_task_name(task), kwargs=kwargs)


def _claim() -> BackgroundJob | None:
    """Mark the next due job running; None when there is none. Safe with several workers:
    the conditional update lets only one of them have it."""
    while True:
        job = (BackgroundJob.objects.filter(status=BackgroundJobStatus.QUEUED,
                                            run_after__lte=timezone.now())
               .order_by("run_after", "pk").first())
        if job is None:
            return None
        claimed = BackgroundJob.objects.filter(
            pk=job.pk, status=BackgroundJobStatus.QUEUED).update(
            status=BackgroundJobStatus.RUNNING, started_at=timezone.now(),
            attempts=job.attempts + 1)
        if claimed:
            job.refresh_from_db()
            return job


def run_job(job: BackgroundJob) -> None:
    try:
        import_string(job.task)(**job.kwargs)
    except Exception:  # noqa: BLE001 - a failing job must not stop the worker
        error = traceback.format_exc()
        log.warning("background job %s failed (attempt %s): %s", job, job.attempts, error)
        retry = job.attempts < MAX_ATTEMPTS
        BackgroundJob.objects.filter(pk=job.pk).update(
            status=BackgroundJobStatus.QUEUED if retry else BackgroundJobStatus.FAILED,
            run_after=timezone.now() + RETRY_DELAY * 2 ** (job.attempts - 1),
            error=error[-5000:], finished_at=None if retry else timezone.now())
    else:
        BackgroundJob.objects.filter(pk=job.pk).update(status=BackgroundJobStatus.DONE,
                                                       finished_at=timezone.now(), error="")


def run_pending() -> int:
    """Run every job that is due now (what one round of the worker does); how many ran."""
    count = 0
    while (job := _claim()) is not None:
        run_job(job)
        count += 1
    return count


def requeue_interrupted() -> int:
    """Jobs left running by a worker that stopped: queue them again (tasks are written to
    continue where they stopped, e.g. letters only send the ones still pending)."""
    return BackgroundJob.objects.filter(status=BackgroundJobStatus.RUNNING).update(
        status=BackgroundJobStatus.QUEUED)


def purge_finished(*, older_than: timedelta = timedelta(days=7)) -> int:
    """Forget jobs that ended long ago (failed ones too: their error was logged)."""
    count, _ = BackgroundJob.objects.filter(
        status__in=[BackgroundJobStatus.DONE, BackgroundJobStatus.FAILED],
        finished_at__lt=timezone.now() - older_than).delete()
    return count


def work(*, poll_seconds: float = 1.0) -> None:
    """The worker loop: run due jobs, sleep when there are none; purge old ones hourly."""
    requeue_interrupted()
    purged_at = 0.0
    while True:
        if time.monotonic() - purged_at > 3600:
            purge_finished()
            purged_at = time.monotonic()
        if not run_pending():
            time.sleep(poll_seconds)
