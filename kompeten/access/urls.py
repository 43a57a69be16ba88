from django.urls import path

from kompeten.access import views

app_name = "access"
urlpatterns = [
    path("angkatan/<int:pk>/staf/", views.batch_staff, name="batch_staff"),
    path("staf-angkatan/<int:pk>/hapus/", views.remove_batch_staff, name="batch_staff_remove"),
]
