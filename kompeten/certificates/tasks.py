"""Background job: issue a run's certificates (dispatched by services.start_run)."""

from celery import shared_task

from kompeten.certificates import services


@shared_task(acks_late=True)
def issue_certificates(*, run_id: int, passphrase_token: str = "") -> dict:
    """Idempotent: a repeated run issues only the certificates still missing."""
    run = services.run_issue(run_id=run_id, passphrase_token=passphrase_token)
    return {"run": run.pk, "total": run.total, "issued": run.issued, "skipped": run.skipped}
