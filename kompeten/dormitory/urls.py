"""Dormitory rooms, under /penempatan/asrama/."""

from django.urls import path, re_path

from kompeten.dormitory import views as rooms

NIGHT = r"(?P<night>\d{4}-\d{2}-\d{2})"

app_name = "dormitory"
urlpatterns = [
    path("", rooms.nights, name="room_nights"),
    path("susun/", rooms.assign, name="room_assign"),
    path("periksa/", rooms.check, name="room_check"),
    re_path(rf"^{NIGHT}/$", rooms.night, name="room_night"),
    re_path(rf"^{NIGHT}\.pdf$", rooms.night_pdf, name="room_night_pdf"),
    path("peserta/<int:pk>/menginap/", rooms.toggle_stay, name="room_toggle_stay"),
    path("kamar/", rooms.room_list, name="room_list"),
    path("kamar/tambah/", rooms.room_edit, name="room_create"),
    path("kamar/buat-banyak/", rooms.room_generate, name="room_generate"),
    path("kamar/<int:pk>/", rooms.room_edit, name="room_edit"),
]
