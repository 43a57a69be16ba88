"""Background jobs: issue a run's certificates (dispatched by services.start_run) and write a
programme's SIASN workbook (services.start_siasn_export)."""

from celery import shared_task

from kompeten.certificates import services


@shared_task(acks_late=True)
def issue_certificates(*, run_id: int, passphrase_token: str = "") -> dict:
    """Idempotent: a repeated run issues only the certificates still missing."""
    run = services.run_issue(run_id=run_id, passphrase_token=passphrase_token)
    return {"run": run.pk, "total": run.total, "issued": run.issued, "skipped": run.skipped}


@shared_task(acks_late=True)
def build_siasn_export(*, export_id: int) -> dict:
    export = services.build_siasn_export(export_id=export_id)
    return {"export": export_id, "written": export.written if export else 0}
