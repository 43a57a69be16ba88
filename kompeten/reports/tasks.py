"""Background jobs of the reports app: write a large report's workbook
(services.start_report_export)."""

from celery import shared_task

from kompeten.reports import services


@shared_task(acks_late=True)
def build_report_export(*, export_id: int) -> dict:
    export = services.build_report_export(export_id=export_id)
    return {"export": export_id, "written": export.written if export else 0}
