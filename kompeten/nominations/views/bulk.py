"""Bulk actions of the organiser on the nomination list: confirm, then apply."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.accounts.access import organiser_required
from kompeten.nominations import bulk
from kompeten.nominations.filters import filtered_nominations
from kompeten.nominations.models import BulkRun
from kompeten.nominations.views.nominations import _program_or_404
from kompeten.registration.selectors import registrations_visible_to

# How many names the result message lists before "and N more".
NAMES_SHOWN = 15


class BulkForm(forms.Form):
    action = forms.ChoiceField(choices=[(a.name, a.label) for a in bulk.ACTIONS.values()])
    pk = forms.TypedMultipleChoiceField(coerce=int, required=False)
    # "Every nomination the filter matches" instead of the ticked rows (a year has 1,500).
    all_matching = forms.BooleanField(required=False)
    filter_query = forms.CharField(required=False)
    reason = forms.CharField(label=gettext_lazy("Alasan"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id is accepted here; the selection is scoped to what the user may see.
        self.fields["pk"].valid_value = lambda value: True


def _selection(request: HttpRequest, form: BulkForm, program):
    data = form.cleaned_data
    if data["all_matching"]:
        return filtered_nominations(user=request.user, program=program,
                                    data=QueryDict(data["filter_query"])).qs
    return registrations_visible_to(user=request.user, program=program).filter(
        pk__in=data["pk"] or [])


def _names(rows) -> str:
    names = [r.full_name for r in rows[:NAMES_SHOWN]]
    if len(rows) > NAMES_SHOWN:
        names.append(_("dan %(count)s lainnya") % {"count": len(rows) - NAMES_SHOWN})
    return ", ".join(names)


@organiser_required
def bulk_action(request: HttpRequest) -> HttpResponse:
    """GET or the list's POST: the confirmation (what will happen, to whom, how many);
    POST with confirm: apply and report per row."""
    program = _program_or_404()
    form = BulkForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        messages.error(request, _("Pilih tindakan dan minimal satu usulan."))
        return redirect("nominations:nomination_list")
    action = form.cleaned_data["action"]
    registrations = _selection(request, form, program).order_by("plain_name", "pk")
    if request.method == "POST" and form.cleaned_data["confirm"]:
        try:
            result = bulk.start(program=program, action=action, registrations=registrations,
                                by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if isinstance(result, BulkRun):
                return redirect("nominations:bulk_run", pk=result.pk)
            _report(request, result)
            return redirect(reverse("nominations:nomination_list")
                            + (f"?{form.cleaned_data['filter_query']}"
                               if form.cleaned_data["filter_query"] else ""))
    preview = bulk.preview(action=action, registrations=registrations, by=request.user)
    return render(request, "nominations/bulk_confirm.html", {
        "program": program, "form": form, "preview": preview,
        # The confirmation names the rows: exactly these are processed, even when the
        # filter would match others by then.
        "pks": [r.pk for r in preview.ready]})


def _report(request: HttpRequest, result: bulk.Result) -> None:
    if result.done:
        text = _("%(count)s usulan %(verb)s: %(names)s.") % {
            "count": len(result.done), "verb": result.action.verb_done,
            "names": _names(result.done)}
        if result.emails:
            text += " " + _("%(count)s e-mail diantrekan.") % {"count": result.emails}
        messages.success(request, text)
    for registration, problem in result.refused[:NAMES_SHOWN]:
        messages.warning(request, _("%(name)s tidak diproses: %(problem)s")
                         % {"name": registration.full_name, "problem": problem})
    if len(result.refused) > NAMES_SHOWN:
        messages.warning(request, _("%(count)s usulan lain juga tidak diproses.")
                         % {"count": len(result.refused) - NAMES_SHOWN})
    if not result.done and not result.refused:
        messages.info(request, _("Tidak ada usulan yang dipilih."))


@organiser_required
def bulk_run(request: HttpRequest, pk: int) -> HttpResponse:
    """A background bulk action: progress (polled with htmx) and the rows not processed."""
    run = get_object_or_404(BulkRun, pk=pk)
    template = ("nominations/_bulk_run.html" if request.headers.get("HX-Request")
                else "nominations/bulk_run.html")
    return render(request, template, {"run": run, "action": bulk.ACTIONS[run.action]})
