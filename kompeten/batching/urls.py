"""Batch placement, under /penempatan/."""

from django.urls import path

from kompeten.batching.views import batching, preferences

app_name = "batching"
urlpatterns = [
    path("", batching.overview, name="batch_overview"),
    path("angkatan/<int:pk>/", batching.batch_detail, name="batch_detail"),
    path("daftar-tunggu/<slug:level_code>/", batching.waiting, name="waiting_list"),
    path("preferensi-tanggal/", preferences.date_preference, name="date_preference"),
]
