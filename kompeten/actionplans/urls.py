from django.urls import path

from kompeten.actionplans import views

app_name = "actionplans"
urlpatterns = [
    path("pendaftaran/rencana-tindak-lanjut/", views.my_action_plan, name="my_action_plan"),
    path("pendaftaran/rencana-tindak-lanjut/ubah/", views.edit_action_plan,
         name="edit_action_plan"),
    path("pendaftaran/rencana-tindak-lanjut/pdf/", views.my_action_plan_pdf,
         name="my_action_plan_pdf"),
    path("usulan/<int:pk>/rencana-tindak-lanjut/", views.action_plan_detail,
         name="action_plan_detail"),
    path("usulan/<int:pk>/rencana-tindak-lanjut/pdf/", views.action_plan_pdf_view,
         name="action_plan_pdf"),
]
