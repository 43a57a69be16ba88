from django.contrib import admin
from django.urls import include, path

from kompeten.common import views as common_views
from kompeten.home import views as home_views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", common_views.healthz, name="healthz"),
    path("favicon.ico", common_views.favicon, name="favicon"),
    path("akun/", include("kompeten.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("kompeten.programs.urls")),
    path("surat-pemberitahuan/", include("kompeten.letters.urls")),
    path("", include("kompeten.registration.urls")),
    path("", include("kompeten.nominations.urls")),
    path("", include("kompeten.participants.urls")),
    path("", include("kompeten.actionplans.urls")),
    path("", include("kompeten.review.urls")),
    path("penempatan/", include("kompeten.batching.urls")),
    path("penempatan/", include("kompeten.access.urls")),
    path("penempatan/", include("kompeten.rumpun.urls")),
    path("penempatan/asrama/", include("kompeten.dormitory.urls")),
    path("e-learning/", include("kompeten.elearning.urls")),
    path("penempatan/", include("kompeten.classroom.urls")),
    path("kelas/", include("kompeten.classroom.days_urls")),
    path("uji/", include("kompeten.exam.urls")),
    path("asesmen/", include("kompeten.assessment.urls")),
    path("sertifikat/", include("kompeten.certificates.urls")),
    path("monev/", include("kompeten.monev.urls")),
    path("laporan/", include("kompeten.reports.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "kompeten.common.views.error_403"
handler404 = "kompeten.common.views.error_404"
handler500 = "kompeten.common.views.error_500"
