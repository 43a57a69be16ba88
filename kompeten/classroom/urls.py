"""The announcement and the class documents, under /penempatan/."""

from django.urls import path, re_path

from kompeten.classroom.views import documents, publication

app_name = "classroom"
urlpatterns = [
    path("pengumuman/", publication.admin, name="announcement_admin"),
    path("pengumuman/umumkan/", publication.publish, name="announcement_publish"),
    path("pengumuman/tarik/", publication.unpublish, name="announcement_unpublish"),
    path("pengumuman/<slug:code>/", publication.public, name="announcement"),
    path("dokumen-kelas/", documents.index, name="class_documents"),
    path("angkatan/<int:pk>/daftar-kelas.pdf", documents.class_list_pdf, name="class_list_pdf"),
    re_path(r"^angkatan/(?P<pk>\d+)/daftar-hadir/(?P<day>\d{4}-\d{2}-\d{2})\.pdf$",
            documents.attendance_pdf, name="attendance_pdf"),
    path("angkatan/<int:pk>/papan-nama.pdf", documents.name_plates_pdf, name="name_plates_pdf"),
]
