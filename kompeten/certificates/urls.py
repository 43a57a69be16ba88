"""Certificates under /sertifikat/."""

from django.urls import path

from kompeten.certificates.views import holder, organiser, public

app_name = "certificates"
urlpatterns = [
    path("", organiser.overview, name="overview"),
    path("pengaturan/", organiser.settings_page, name="settings"),
    path("angkatan/<int:pk>/", organiser.batch, name="batch"),
    path("angkatan/<int:pk>/terbitkan/", organiser.issue_batch, name="issue_batch"),
    path("terbitkan/", organiser.issue_program, name="issue_program"),
    path("penerbitan/<int:pk>/", organiser.run, name="run"),
    path("penerbitan/<int:pk>/progres/", organiser.run_progress, name="run_progress"),
    path("penerbitan/<int:pk>/pdf/", organiser.run_pdf, name="run_pdf"),
    path("kelayakan/<int:pk>/<str:kind>/", organiser.eligibility, name="eligibility"),
    path("<int:pk>/", organiser.detail, name="detail"),
    path("<int:pk>/cabut/", organiser.revoke, name="revoke"),
    path("<int:pk>/unduh/", holder.download, name="download"),
    path("saya/", holder.mine, name="mine"),
    path("siasn/", holder.siasn_export, name="siasn"),
    path("siasn/buat/", holder.siasn_start, name="siasn_start"),
    path("siasn/<int:pk>/unduh/", holder.siasn_file, name="siasn_file"),
    path("v/<str:public_id>/", public.verify, name="verify"),
    path("v/<str:public_id>/badge.jwt", public.badge, name="badge"),
    path("cari/", public.search, name="search"),
    path("penerbit/", public.issuer, name="issuer"),
    path("penerbit/jwks.json", public.jwks, name="jwks"),
    path("status/<str:public_id>/", public.status, name="status"),
]
