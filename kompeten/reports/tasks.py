"""Background jobs of the reports app: write a large report's workbook
(services.start_report_export)."""

from celery import shared_task

from kompeten.reports import services


@shared_task(acks_late=True)
def build_report_export(*, export_id: int) -> dict:
    export = services.build_report_export(export_id=export_id)
    return {"export": export_id, "written": export.written if export else 0}


@shared_task(acks_late=True)
def compute_report_snapshot(*, snapshot_id: int) -> dict:
    found = services.compute_snapshot(snapshot_id=snapshot_id)
    return {"snapshot": snapshot_id, "status": found.status if found else None}
