from django.urls import path

from kompeten.letters import views

app_name = "letters"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("pengaturan/", views.edit_settings, name="settings"),
    path("kirim/", views.send, name="send"),
    path("pengiriman/<int:pk>/", views.job, name="job"),
    path("pengiriman/<int:pk>/progres/", views.job_progress, name="job_progress"),
    path("pengiriman/<int:pk>/batalkan/", views.job_action, {"action": "cancel"},
         name="job_cancel"),
    path("pengiriman/<int:pk>/ulangi/", views.job_action, {"action": "retry"},
         name="job_retry"),
    path("instansi/<int:agency_pk>/pratinjau.pdf", views.preview, name="preview"),
    path("<int:pk>/unduh.pdf", views.download, name="download"),
    path("instansi-saya/", views.mine, name="mine"),
]
