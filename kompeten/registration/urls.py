from django.urls import path

from kompeten.registration.views import invitations

app_name = "registration"
urlpatterns = [
    path("undangan/<str:token>/", invitations.accept_invitation, name="accept_invitation"),
]
