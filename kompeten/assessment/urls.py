from django.urls import path

from kompeten.assessment.views import assessor, organiser, participant, reports

app_name = "assessment"

urlpatterns = [
    # the organiser
    path("", organiser.overview, name="overview"),
    path("pengaturan/", organiser.settings_page, name="settings"),
    path("pertanyaan-lisan/", organiser.questions, name="questions"),
    path("pertanyaan-lisan/<int:pk>/", organiser.question_edit, name="question_edit"),
    path("pertanyaan-lisan/<int:pk>/hapus/", organiser.question_delete, name="question_delete"),
    path("angkatan/<int:pk>/", organiser.batch, name="batch"),
    path("angkatan/<int:pk>/bagi-asesor/", organiser.auto_assign, name="auto_assign"),
    path("angkatan/<int:pk>/tugaskan/", organiser.assign, name="assign"),
    path("angkatan/<int:pk>/sidang/", organiser.sidang, name="sidang"),
    path("banding/<int:pk>/panel/", organiser.appeal_panel, name="appeal_panel"),
    path("angkatan/<int:pk>/laporan.pdf", reports.report_pdf, name="report_pdf"),
    path("angkatan/<int:pk>/laporan.xlsx", reports.report_xlsx, name="report_xlsx"),
    # the assessor
    path("asesor/", assessor.my_participants, name="my_participants"),
    path("asesor/peserta/<int:pk>/", assessor.participant, name="participant"),
    path("asesor/peserta/<int:pk>/unit/<int:unit_pk>/", assessor.decide_unit,
         name="decide_unit"),
    path("asesor/peserta/<int:pk>/tandatangani/", assessor.sign_all, name="sign_all"),
    path("asesor/peserta/<int:pk>/lisan/<int:question_pk>/", assessor.oral_answer,
         name="oral_answer"),
    path("asesor/peserta/<int:pk>/portofolio/", assessor.evidence, name="evidence"),
    path("asesor/peserta/<int:pk>/pengamatan/", assessor.observation, name="observation"),
    path("asesor/banding/<int:pk>/", assessor.appeal_decide, name="appeal_decide"),
    # the participant
    path("saya/", participant.mine, name="mine"),
    path("saya/asesmen-mandiri/", participant.self_assess, name="self_assess"),
    path("saya/persetujuan/", participant.consent, name="consent"),
    path("saya/banding/<int:unit_pk>/", participant.appeal, name="appeal"),
]
