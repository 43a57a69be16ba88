from django.urls import path

from kompeten.programs import views

app_name = "programs"
urlpatterns = [
    path("jadwal/", views.schedule, name="schedule"),
    path("jadwal/kalender/", views.schedule_calendar, name="calendar"),
    path("jadwal/<slug:code>.ics", views.schedule_ics, name="schedule_ics"),
    path("jadwal/impor/", views.schedule_import, name="schedule_import"),
    path("data-induk/", views.masterdata_index, name="masterdata_index"),
    path("data-induk/<slug:kind>/", views.masterdata_list, name="masterdata_list"),
    path("data-induk/<slug:kind>/tambah/", views.masterdata_edit, name="masterdata_create"),
    path("data-induk/<slug:kind>/<int:pk>/ubah/", views.masterdata_edit, name="masterdata_edit"),
    path("data-induk/penyelenggaraan/<int:pk>/salin/", views.program_copy, name="program_copy"),
    path("instansi/<int:pk>/", views.agency_detail, name="agency_detail"),
]
