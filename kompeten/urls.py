from django.contrib import admin
from django.urls import include, path

from kompeten.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("akun/", include("kompeten.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("kompeten.programs.urls")),
    path("", include("kompeten.registration.urls")),
    path("surat-pemberitahuan/", include("kompeten.letters.urls")),
    path("review/", include("kompeten.review.urls")),
    path("penempatan/", include("kompeten.placement.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "kompeten.core.views.error_403"
handler404 = "kompeten.core.views.error_404"
handler500 = "kompeten.core.views.error_500"
