"""Background job: e-mail a send job's letters (dispatched by services.start_send_job)."""

from celery import shared_task

from kompeten.letters import services


@shared_task(acks_late=True)
def send_letters(*, job_id: int) -> dict:
    """Run the job (idempotent: a repeated run only sends the letters still pending)."""
    job = services.run_send_job(job_id=job_id)
    return {"job": job.pk, "total": job.total, "sent": job.sent, "failed": job.failed}
