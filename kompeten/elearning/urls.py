"""E-learning under /e-learning/."""

from django.urls import path

from kompeten.elearning.views import forum, materials, participant, progress

app_name = "elearning"
urlpatterns = [
    path("", participant.mine, name="mine"),
    path("materi/<int:pk>/unduh/", participant.download, name="material_download"),
    path("materi/<int:pk>/dipelajari/", participant.mark_studied, name="mark_studied"),
    path("modul/<int:pk>/resume/", participant.resume_submit, name="resume_submit"),
    path("resume/<int:pk>/berkas/", participant.resume_file, name="resume_file"),
    path("kelola/materi/", materials.index, name="materials"),
    path("kelola/materi/<int:pk>/versi/", materials.new_version, name="material_version"),
    path("angkatan/", progress.overview, name="batches"),
    path("angkatan/<int:pk>/", progress.batch, name="batch_progress"),
    path("angkatan/<int:pk>/ingatkan/", progress.remind, name="remind"),
    path("resume/<int:pk>/", progress.review, name="resume_review"),
    path("angkatan/<int:pk>/forum/", forum.batch_forum, name="forum_batch"),
    path("angkatan/<int:pk>/forum/<int:module_pk>/", forum.module_forum, name="forum"),
    path("forum/topik/<int:pk>/", forum.thread, name="thread"),
    path("forum/tulisan/<int:pk>/sembunyikan/", forum.hide, name="post_hide"),
]
