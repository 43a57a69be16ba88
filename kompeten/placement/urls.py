from django.urls import path  # noqa: F401

app_name = "placement"
urlpatterns = [
    # -- batch placement (helper: batching) --
    # /penempatan/ (overview), /penempatan/angkatan/<pk>/, /penempatan/daftar-tunggu/<level>/
    path("", ("kompeten.placement.batching_urls", None, None)),
    # -- dormitory rooms (helper: rooms) --
    # /penempatan/asrama/...: a (module, app_name, namespace) tuple is what include()
    # returns; the module path as a string needs no import at the top of this shared file.
    path("asrama/", ("kompeten.placement.room_urls", None, None)),
    # -- topics, publication and class documents (helper: topics) --
    # /penempatan/rumpun/, /pengumuman/, /dokumen-kelas/, /angkatan/<pk>/*.pdf
    path("", ("kompeten.placement.topic_urls", None, None)),
]
