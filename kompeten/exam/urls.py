"""The competency test under /uji/."""

from django.urls import path

from kompeten.exam.views import bank, participant, supervise

app_name = "exam"

urlpatterns = [
    path("", participant.mine, name="mine"),
    path("mulai/", participant.start, name="start"),
    path("percobaan/<int:pk>/", participant.take, name="take"),
    path("percobaan/<int:pk>/jawab/", participant.save, name="save"),
    path("percobaan/<int:pk>/selesai/", participant.finish, name="finish"),
    path("soal/<int:pk>/gambar/", participant.image, name="image"),
    path("sesi/", supervise.sessions, name="sessions"),
    path("angkatan/<int:pk>/sesi-baru/", supervise.create, name="create"),
    path("sesi/<int:pk>/", supervise.live, name="live"),
    path("sesi/<int:pk>/peserta/", supervise.live_rows, name="live_rows"),
    path("sesi/<int:pk>/buka/", supervise.open_session, name="open"),
    path("sesi/<int:pk>/tutup/", supervise.close, name="close"),
    path("sesi/<int:pk>/penilaian/", supervise.marking, name="marking"),
    path("sesi/<int:pk>/hasil/", supervise.results, name="results"),
    path("percobaan/<int:pk>/kelola/", supervise.manage_attempt, name="attempt"),
    path("jawaban/<int:pk>/nilai/", supervise.mark, name="mark"),
    path("bank/", bank.units, name="bank"),
    path("bank/unit/<int:pk>/", bank.unit_detail, name="unit"),
    path("bank/unit/<int:pk>/tambah/", bank.add, name="add"),
    path("bank/unit/<int:pk>/impor/", bank.import_file, name="import"),
    path("bank/soal/<int:pk>/ubah/", bank.edit, name="edit"),
    path("bank/soal/<int:pk>/pensiun/", bank.retire, name="retire"),
    path("bank/templat/", bank.template, name="template"),
    path("statistik/", bank.statistics, name="statistics"),
    path("pengaturan/", bank.policy, name="policy"),
]
