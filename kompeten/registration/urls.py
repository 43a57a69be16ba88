from django.urls import path

from kompeten.registration.views import invitations, nominations, profile

app_name = "registration"
urlpatterns = [
    # nominations (operators propose, organisers accept/invite/decline)
    path("usulan/", nominations.nomination_list, name="nomination_list"),
    path("usulan/tambah/", nominations.nominate, name="nominate"),
    path("usulan/<int:pk>/", nominations.nomination_detail, name="nomination_detail"),
    path("usulan/<int:pk>/tarik/", nominations.withdraw, name="withdraw"),
    path("usulan/<int:pk>/undang/", nominations.invite, name="invite"),
    path("usulan/<int:pk>/tolak/", nominations.decline, name="decline"),
    # invitation and the participant's own registration
    path("undangan/<str:token>/", invitations.accept_invitation, name="accept_invitation"),
    path("pendaftaran/", profile.my_registration, name="my_registration"),
    path("pendaftaran/profil/", profile.edit_profile, name="edit_profile"),
    path("pendaftaran/kirim/", profile.submit, name="submit"),
    # -- documents and uploads (helper: documents) --
    # -- work history (helper: documents) --
    # -- action plan (helper: action plan) --
    # -- nomination import and export (helper: import) --
]
