from django.urls import path

from kompeten.reports.views import data_rights, reports

app_name = "reports"

urlpatterns = [
    path("", reports.index, name="index"),
    path("corong/", reports.funnel, name="funnel"),
    path("corong/excel/", reports.funnel_export, name="funnel_export"),
    path("peta-kompetensi/", reports.competency, name="competency"),
    path("peta-kompetensi/excel/", reports.competency_export, name="competency_export"),
    path("kelulusan/", reports.units, name="units"),
    path("kelulusan/excel/", reports.units_export, name="units_export"),
    path("monev/", reports.monev, name="monev"),
    path("monev/excel/", reports.monev_export, name="monev_export"),
    path("reaksi/", reports.reaction, name="reaction"),
    path("reaksi/excel/", reports.reaction_export, name="reaction_export"),
    path("perbarui/<slug:kind>/", reports.refresh, name="refresh"),
    path("ekspor/<slug:kind>/buat/", reports.export_start, name="export_start"),
    path("ekspor/<int:pk>/unduh/", reports.export_file, name="export_file"),
    # data rights (UU PDP 27/2022)
    path("data-saya/", data_rights.my_data, name="my_data"),
    path("data-saya/json/", data_rights.my_data_json, name="my_data_json"),
    path("data-saya/pdf/", data_rights.my_data_pdf, name="my_data_pdf"),
    path("data-saya/koreksi/", data_rights.correction_request, name="correction_request"),
    path("hak-data/", data_rights.corrections, name="corrections"),
    path("hak-data/koreksi/<int:pk>/", data_rights.correction_handle, name="correction_handle"),
    path("hak-data/orang/", data_rights.people, name="people"),
    path("hak-data/hapus/<int:pk>/", data_rights.erase, name="erase"),
    path("hak-data/retensi/", data_rights.retention, name="retention"),
]
