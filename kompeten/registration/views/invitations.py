from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from kompeten.registration import services
from kompeten.registration.forms import AcceptInvitationForm


@never_cache
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the nominee confirms, sets a password and is logged in."""
    try:
        invitation = services.invitation_for_token(token=token)
    except services.InvitationInvalid as exc:
        return render(request, "registration/invitation_invalid.html",
                      {"message": exc.message}, status=410)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(token=token, password=form.cleaned_data["password1"])
        except services.InvitationInvalid as exc:
            return render(request, "registration/invitation_invalid.html",
                          {"message": exc.message}, status=410)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Selamat datang! Akun Anda aktif; nama pengguna Anda adalah "
                                    "NIP %(nip)s. Lengkapi pendaftaran berikut.")
                         % {"nip": user.username})
        return redirect("participants:my_registration")
    return render(request, "registration/accept_invitation.html",
                  {"form": form, "registration": invitation.registration})
