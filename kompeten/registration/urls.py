from django.urls import path

from kompeten.registration.views import (
    action_plans,
    documents,
    invitations,
    letters,
    nomination_import,
    nominations,
    profile,
    work_history,
)

app_name = "registration"
urlpatterns = [
    # nominations (operators propose, organisers accept/invite/decline)
    path("usulan/", nominations.nomination_list, name="nomination_list"),
    path("usulan/tambah/", nominations.nominate, name="nominate"),
    path("usulan/<int:pk>/", nominations.nomination_detail, name="nomination_detail"),
    path("usulan/<int:pk>/tarik/", nominations.withdraw, name="withdraw"),
    path("usulan/<int:pk>/undang/", nominations.invite, name="invite"),
    path("usulan/<int:pk>/tolak/", nominations.decline, name="decline"),
    # invitation and the participant's own registration
    path("undangan/<str:token>/", invitations.accept_invitation, name="accept_invitation"),
    path("pendaftaran/", profile.my_registration, name="my_registration"),
    path("pendaftaran/profil/", profile.edit_profile, name="edit_profile"),
    path("pendaftaran/kirim/", profile.submit, name="submit"),
    # -- documents and uploads (helper: documents) --
    path("pendaftaran/dokumen/", documents.documents, name="documents"),
    path("dokumen/<int:pk>/unduh/", documents.download, name="download"),
    path("surat-usulan/", letters.nomination_letters, name="nomination_letters"),
    # -- work history (helper: documents) --
    path("pendaftaran/riwayat-pekerjaan/", work_history.work_history, name="work_history"),
    path("pendaftaran/riwayat-pekerjaan/<int:pk>/ubah/", work_history.edit_entry,
         name="work_history_edit"),
    path("pendaftaran/riwayat-pekerjaan/<int:pk>/hapus/", work_history.delete_entry,
         name="work_history_delete"),
    # -- action plan (helper: action plan) --
    path("pendaftaran/rencana-tindak-lanjut/", action_plans.my_action_plan,
         name="my_action_plan"),
    path("pendaftaran/rencana-tindak-lanjut/ubah/", action_plans.edit_action_plan,
         name="edit_action_plan"),
    path("pendaftaran/rencana-tindak-lanjut/pdf/", action_plans.my_action_plan_pdf,
         name="my_action_plan_pdf"),
    path("usulan/<int:pk>/rencana-tindak-lanjut/", action_plans.action_plan_detail,
         name="action_plan_detail"),
    path("usulan/<int:pk>/rencana-tindak-lanjut/pdf/", action_plans.action_plan_pdf_view,
         name="action_plan_pdf"),
    # -- nomination import and export (helper: import) --
    path("usulan/impor/", nomination_import.import_page, name="nomination_import"),
    path("usulan/templat.xlsx", nomination_import.template, name="nomination_template"),
    path("usulan/ekspor.xlsx", nomination_import.export, name="nomination_export"),
]
