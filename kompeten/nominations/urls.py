from django.urls import path

from kompeten.nominations.views import bulk, excel, letters, nominations

app_name = "nominations"
urlpatterns = [
    # operators propose, organisers accept/invite/decline
    path("usulan/", nominations.nomination_list, name="nomination_list"),
    path("usulan/tambah/", nominations.nominate, name="nominate"),
    path("usulan/<int:pk>/", nominations.nomination_detail, name="nomination_detail"),
    path("usulan/<int:pk>/tarik/", nominations.withdraw, name="withdraw"),
    path("usulan/<int:pk>/undang/", nominations.invite, name="invite"),
    path("usulan/<int:pk>/koreksi-nama/", nominations.correct_name, name="correct_name"),
    # invite, decline or withdraw many (or one, from the detail page), after a confirmation
    path("usulan/aksi/", bulk.bulk_action, name="bulk_action"),
    path("usulan/aksi/<int:pk>/", bulk.bulk_run, name="bulk_run"),
    path("surat-usulan/", letters.nomination_letters, name="nomination_letters"),
    # Excel import and export
    path("usulan/impor/", excel.import_page, name="nomination_import"),
    path("usulan/templat.xlsx", excel.template, name="nomination_template"),
    path("usulan/ekspor.xlsx", excel.export, name="nomination_export"),
    path("usulan/ekspor/<int:pk>/", excel.export_job, name="export_job"),
    path("usulan/ekspor/<int:pk>/unduh.xlsx", excel.export_download, name="export_download"),
]
