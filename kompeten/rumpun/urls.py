"""Topic groups, under /penempatan/rumpun/."""

from django.urls import path

from kompeten.rumpun import views

app_name = "rumpun"
urlpatterns = [
    path("rumpun/", views.groups, name="topic_groups"),
    path("rumpun/usulkan/", views.propose, name="topic_propose"),
    path("rumpun/<int:pk>/pindah/", views.move, name="topic_move"),
]
