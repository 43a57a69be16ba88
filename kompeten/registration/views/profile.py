from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompeten.accounts.access import role_required
from kompeten.accounts.models import Role
from kompeten.programs.selectors import current_program
from kompeten.registration import selectors, services
from kompeten.registration.forms import ProfileForm


def _own(request: HttpRequest):
    registration = selectors.own_registration(user=request.user, program=current_program())
    if registration is None:
        raise Http404
    return registration


@role_required(Role.PARTICIPANT)
def my_registration(request: HttpRequest) -> HttpResponse:
    registration = selectors.own_registration(user=request.user, program=current_program())
    if registration is None:
        return render(request, "registration/no_registration.html")
    return render(request, "registration/my_registration.html", {
        "registration": registration, "checklist": selectors.checklist(registration)})


@role_required(Role.PARTICIPANT)
def edit_profile(request: HttpRequest) -> HttpResponse:
    registration = _own(request)
    form = ProfileForm(request.POST or None, instance=registration)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(registration=registration, form=form)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Profil tersimpan."))
            return redirect("registration:my_registration")
    return render(request, "registration/edit_profile.html",
                  {"form": form, "registration": registration})


@require_POST
@role_required(Role.PARTICIPANT)
def submit(request: HttpRequest) -> HttpResponse:
    registration = _own(request)
    try:
        services.submit_registration(registration=registration)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Pendaftaran Anda lengkap dan dikirim untuk direview."))
    return redirect("registration:my_registration")
