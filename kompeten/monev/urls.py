"""Monev under /monev/."""

from django.urls import path

from kompeten.monev.views import organiser, respond

app_name = "monev"
urlpatterns = [
    path("", respond.mine, name="mine"),
    path("isi/<int:pk>/", respond.form, name="form"),
    path("isi/<int:pk>/simpan/", respond.save, name="save"),
    path("isi/<int:pk>/kirim/", respond.submit, name="submit"),
    path("isi/<int:pk>/atasan/", respond.supervisor, name="supervisor"),
    path("isi/<int:pk>/bukti/<int:milestone>/", respond.evidence_upload,
         name="evidence_upload"),
    path("t/<str:token>/", respond.token_form, name="token_form"),
    path("t/<str:token>/simpan/", respond.token_save, name="token_save"),
    path("t/<str:token>/kirim/", respond.token_submit, name="token_submit"),
    path("t/<str:token>/atasan/", respond.token_supervisor, name="token_supervisor"),
    path("t/<str:token>/bukti/<int:milestone>/", respond.token_evidence, name="token_evidence"),
    path("bukti/<int:pk>/", organiser.evidence, name="evidence"),
    path("pengaturan/", organiser.settings_page, name="settings"),
    path("kuesioner/", organiser.questionnaire_list, name="questionnaires"),
    path("kuesioner/<int:pk>/", organiser.questionnaire_edit, name="questionnaire"),
    path("kuesioner/bagian/<int:pk>/butir/", organiser.item_add, name="item_add"),
    path("kuesioner/butir/<int:pk>/", organiser.item_edit, name="item_edit"),
    path("kuesioner/butir/<int:pk>/hapus/", organiser.item_delete, name="item_delete"),
    path("gelombang/", organiser.wave_list, name="waves"),
    path("gelombang/jadwalkan/", organiser.plan, name="plan"),
    path("gelombang/<int:pk>/", organiser.wave_detail, name="wave"),
    path("undangan/<int:pk>/", organiser.response_detail, name="response"),
    path("undangan/<int:pk>/cabut/", organiser.revoke, name="revoke"),
    path("undangan/<int:pk>/kirim-ulang/", organiser.resend, name="resend"),
]
