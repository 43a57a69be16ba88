from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.access.decorators import role_required
from kompeten.accounts.models import Role
from kompeten.batching.models import AgencyDatePreference
from kompeten.batching.preferences import set_date_preference
from kompeten.programs.selectors import current_program

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DatePreferenceForm(forms.Form):
    earliest = forms.DateField(label=gettext_lazy("Paling awal"), required=False, widget=DATE)
    latest = forms.DateField(label=gettext_lazy("Paling akhir"), required=False, widget=DATE)


@role_required(Role.OPERATOR)
def date_preference(request: HttpRequest) -> HttpResponse:
    """An operator gives the window in which the agency's officials can attend."""
    program = current_program()
    if program is None:
        raise Http404
    agency = request.user.agency
    current = AgencyDatePreference.objects.filter(program=program, agency=agency).first()
    initial = {"earliest": current.earliest, "latest": current.latest} if current else {}
    form = DatePreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            set_date_preference(program=program, agency=agency,
                                earliest=form.cleaned_data["earliest"],
                                latest=form.cleaned_data["latest"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Preferensi tanggal tersimpan."))
            return redirect("batching:date_preference")
    return render(request, "batching/date_preference.html",
                  {"form": form, "program": program, "agency": agency, "current": current})
