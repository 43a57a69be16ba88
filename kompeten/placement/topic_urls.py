"""Topic groups, the announcement and the class documents; included in
kompeten/placement/urls.py (namespace "placement")."""

from django.urls import path, re_path

from kompeten.placement.views import class_documents, publication, topics

urlpatterns = [
    path("rumpun/", topics.groups, name="topic_groups"),
    path("rumpun/usulkan/", topics.propose, name="topic_propose"),
    path("rumpun/<int:pk>/pindah/", topics.move, name="topic_move"),
    path("pengumuman/", publication.admin, name="announcement_admin"),
    path("pengumuman/umumkan/", publication.publish, name="announcement_publish"),
    path("pengumuman/tarik/", publication.unpublish, name="announcement_unpublish"),
    path("pengumuman/<slug:code>/", publication.public, name="announcement"),
    path("dokumen-kelas/", class_documents.index, name="class_documents"),
    path("angkatan/<int:pk>/daftar-kelas.pdf", class_documents.class_list_pdf,
         name="class_list_pdf"),
    re_path(r"^angkatan/(?P<pk>\d+)/daftar-hadir/(?P<day>\d{4}-\d{2}-\d{2})\.pdf$",
            class_documents.attendance_pdf, name="attendance_pdf"),
    path("angkatan/<int:pk>/papan-nama.pdf", class_documents.name_plates_pdf,
         name="name_plates_pdf"),
]
