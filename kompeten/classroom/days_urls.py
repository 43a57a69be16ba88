"""The classroom days, under /kelas/: sessions, facilitators, attendance, evaluation."""

from django.urls import path

from kompeten.classroom.views import attendance, participant, sessions

app_name = "kelas"
urlpatterns = [
    path("sesi/", sessions.overview, name="overview"),
    path("sesi/buat/", sessions.generate, name="generate"),
    path("angkatan/<int:pk>/sesi/", sessions.batch_sessions, name="batch_sessions"),
    path("sesi/<int:pk>/tugaskan/", sessions.assign, name="assign"),
    path("sesi/<int:pk>/lepas/", sessions.unassign, name="unassign"),
    path("sesi/<int:pk>/ubah/", sessions.edit_session, name="edit_session"),
    path("fasilitator/", sessions.facilitators, name="facilitators"),
    path("jadwal-saya/", sessions.my_timetable, name="my_timetable"),
    path("jadwal/<str:token>.ics", sessions.facilitator_ics, name="facilitator_ics"),
    path("sesi/<int:pk>/layar/", attendance.screen, name="screen"),
    path("sesi/<int:pk>/layar/qr/", attendance.screen_qr, name="screen_qr"),
    path("hadir/<int:pk>/<str:code>/", attendance.checkin, name="checkin"),
    path("sesi/<int:pk>/presensi/", attendance.roll_call, name="roll_call"),
    path("sesi/<int:pk>/presensi/tandai/", attendance.roll_call_mark, name="roll_call_mark"),
    path("angkatan/<int:pk>/koreksi/", attendance.correct, name="correct"),
    path("angkatan/<int:pk>/kehadiran/", attendance.batch_attendance, name="batch_attendance"),
    path("angkatan/<int:pk>/daftar-hadir/unggah/", attendance.upload_sheet,
         name="upload_sheet"),
    path("daftar-hadir/<int:pk>/", attendance.signed_sheet, name="signed_sheet"),
    path("angkatan/<int:pk>/evaluasi/", participant.evaluation_results,
         name="evaluation_results"),
    path("tata-tertib/", participant.conduct, name="conduct"),
    path("tata-tertib/setuju/", participant.acknowledge, name="acknowledge"),
    path("evaluasi/", participant.evaluate, name="evaluate"),
]
