from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kompeten.access.decorators import role_required
from kompeten.accounts.models import Role
from kompeten.participants import services
from kompeten.participants.forms import ProfileForm
from kompeten.programs.selectors import current_program
from kompeten.registration import checklist, selectors


def own_registration_or_404(request: HttpRequest):
    registration = selectors.own_registration(user=request.user, program=current_program())
    if registration is None:
        raise Http404
    return registration


@role_required(Role.PARTICIPANT)
def my_registration(request: HttpRequest) -> HttpResponse:
    registration = selectors.own_registration(user=request.user, program=current_program())
    if registration is None:
        return render(request, "participants/no_registration.html")
    return render(request, "participants/my_registration.html", {
        "registration": registration, "checklist": checklist.checklist(registration)})


@role_required(Role.PARTICIPANT)
def edit_profile(request: HttpRequest) -> HttpResponse:
    registration = own_registration_or_404(request)
    form = ProfileForm(request.POST or None, instance=registration)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(registration=registration, form=form)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Profil tersimpan."))
            return redirect("participants:my_registration")
    return render(request, "participants/edit_profile.html",
                  {"form": form, "registration": registration})


