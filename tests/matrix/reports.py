"""Access-matrix entries of the reports app (laporan/): organisers and operators read the
reports (operators scoped to their agency, see tests/test_reports_*.py); the reaction report
and the data-rights administration are the organiser's; a participant's own data is theirs."""

from tests.access_matrix import BOTH, GET, OPS, ORG, PARTS, POST, Entry
from tests.reports_samples import matrix_correction, matrix_report_export

ENTRIES: dict[str, Entry] = {
    "reports:index": Entry(ORG | OPS, GET),
    "reports:funnel": Entry(ORG | OPS, GET),
    "reports:funnel_export": Entry(ORG | OPS, GET),
    "reports:competency": Entry(ORG | OPS, GET),
    "reports:competency_export": Entry(ORG | OPS, GET),
    "reports:units": Entry(ORG | OPS, GET),
    "reports:units_export": Entry(ORG | OPS, GET),
    "reports:monev": Entry(ORG | OPS, GET),
    "reports:monev_export": Entry(ORG | OPS, GET),
    "reports:reaction": Entry(ORG, GET),
    "reports:reaction_export": Entry(ORG, GET),
    # a large export's job: started by a POST (operators only their agency's rows), its
    # file downloaded only by whoever asked (the organiser's here: 404 for an operator)
    "reports:export_start": Entry(ORG | OPS, POST, kwargs=lambda ctx: {"kind": "funnel"}),
    # a large report's stored figures computed again (small filters: nothing to compute)
    "reports:refresh": Entry(ORG | OPS, POST, kwargs=lambda ctx: {"kind": "funnel"}),
    "reports:export_file": Entry(
        ORG, GET, kwargs=lambda ctx: {"pk": matrix_report_export(ctx).pk}),
    # data rights: the participant's own data (both participants have an account)
    "reports:my_data": Entry(PARTS, GET),
    "reports:my_data_json": Entry(PARTS, GET),
    "reports:my_data_pdf": Entry(PARTS, GET),
    # an empty POST is refused with a message (302 back to the page)
    "reports:correction_request": Entry(PARTS, POST),
    "reports:corrections": Entry(ORG, GET),
    "reports:correction_handle": Entry(
        ORG, POST, kwargs=lambda ctx: {"pk": matrix_correction(ctx).pk}),
    "reports:people": Entry(ORG, GET),
    # GET asks first; a POST without the page's signed confirmation is refused (302)
    "reports:erase": Entry(ORG, BOTH, kwargs=lambda ctx: {"pk": ctx["registration"].pk}),
    "reports:retention": Entry(ORG, BOTH),
}
