from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from kompeten.registration import services
from kompeten.registration.forms import AcceptInvitationForm, ConfirmInvitationForm


def _invalid(request: HttpRequest, exc: services.InvitationInvalid) -> HttpResponse:
    return render(request, "registration/invitation_invalid.html",
                  {"message": exc.message}, status=410)


@never_cache
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the nominee confirms. A first-time official sets a password and is logged
    in; an official who already has an account logs in with it first (the invitation never
    sets the password of an existing account)."""
    try:
        invitation = services.invitation_for_token(token=token)
    except services.InvitationInvalid as exc:
        return _invalid(request, exc)
    registration = invitation.registration
    account = services.existing_account(registration)
    if account is not None:
        return _confirm_with_account(request, token, registration, account)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(token=token, password=form.cleaned_data["password1"])
        except services.InvitationInvalid as exc:
            return _invalid(request, exc)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Selamat datang! Akun Anda aktif; nama pengguna Anda adalah "
                                    "NIP %(nip)s. Lengkapi pendaftaran berikut.")
                         % {"nip": user.username})
        return redirect("participants:my_registration")
    return render(request, "registration/accept_invitation.html",
                  {"form": form, "registration": registration})


def _confirm_with_account(request, token, registration, account) -> HttpResponse:
    here = reverse("registration:accept_invitation", args=[token])
    if request.user.is_authenticated and request.user.pk == account.pk:
        form = ConfirmInvitationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.accept_invitation_as(token=token, user=request.user)
            except services.InvitationInvalid as exc:
                return _invalid(request, exc)
            messages.success(request, _("Undangan dikonfirmasi dengan akun Anda. Lengkapi "
                                        "pendaftaran berikut."))
            return redirect("participants:my_registration")
        return render(request, "registration/accept_invitation.html",
                      {"form": form, "registration": registration, "with_account": True})
    return render(request, "registration/invitation_account_exists.html", {
        "registration": registration,
        "other_user": request.user if request.user.is_authenticated else None,
        "login_url": f"{reverse('login')}?{urlencode({'next': here})}"})
