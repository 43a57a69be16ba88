from django.urls import path

from kompeten.participants.views import documents, profile, work_history

app_name = "participants"
urlpatterns = [
    path("pendaftaran/", profile.my_registration, name="my_registration"),
    path("pendaftaran/profil/", profile.edit_profile, name="edit_profile"),
    path("pendaftaran/dokumen/", documents.documents, name="documents"),
    path("dokumen/<int:pk>/unduh/", documents.download, name="download"),
    path("pendaftaran/riwayat-pekerjaan/", work_history.work_history, name="work_history"),
    path("pendaftaran/riwayat-pekerjaan/<int:pk>/ubah/", work_history.edit_entry,
         name="work_history_edit"),
    path("pendaftaran/riwayat-pekerjaan/<int:pk>/hapus/", work_history.delete_entry,
         name="work_history_delete"),
]
