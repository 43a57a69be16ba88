from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompeten.access.decorators import role_required
from kompeten.accounts.models import Role
from kompeten.participants import document_selectors, work_history_services
from kompeten.participants.forms import WorkHistoryForm
from kompeten.participants.models import WorkHistoryEntry
from kompeten.programs.selectors import current_program
from kompeten.registration import selectors


def _own(request: HttpRequest):
    registration = selectors.own_registration(user=request.user, program=current_program())
    if registration is None:
        raise Http404
    return registration


def _own_entry(request: HttpRequest, pk: int) -> WorkHistoryEntry:
    entry = document_selectors.work_history_of(_own(request)).filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry


def _position(form: WorkHistoryForm) -> work_history_services.Position:
    data = form.cleaned_data
    return work_history_services.Position(
        position=data["position"], unit=data["unit"], start_date=data["start_date"],
        end_date=data["end_date"], duties=data["duties"])


@role_required(Role.PARTICIPANT)
def work_history(request: HttpRequest) -> HttpResponse:
    """The participant's positions, newest first, with a form to add one."""
    registration = _own(request)
    form = WorkHistoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            work_history_services.add_work_history_entry(
                registration=registration, entry=_position(form), by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Jabatan %(position)s ditambahkan.")
                             % {"position": form.cleaned_data["position"]})
            return redirect("participants:work_history")
    return render(request, "participants/work_history.html", {
        "registration": registration, "form": form,
        "entries": document_selectors.work_history_of(registration),
        "can_edit": work_history_services.can_edit_work_history(registration)})


@role_required(Role.PARTICIPANT)
def edit_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _own_entry(request, pk)
    form = WorkHistoryForm(request.POST or None, initial={
        "position": entry.position, "unit": entry.unit, "start_date": entry.start_date,
        "end_date": entry.end_date, "duties": entry.duties})
    if request.method == "POST" and form.is_valid():
        try:
            work_history_services.update_work_history_entry(
                item=entry, entry=_position(form), by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Riwayat pekerjaan tersimpan."))
            return redirect("participants:work_history")
    return render(request, "participants/work_history_edit.html", {
        "registration": entry.registration, "form": form, "entry": entry,
        "can_edit": work_history_services.can_edit_work_history(entry.registration)})


@require_POST
@role_required(Role.PARTICIPANT)
def delete_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _own_entry(request, pk)
    try:
        work_history_services.delete_work_history_entry(item=entry, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Jabatan %(position)s dihapus.") % {"position": entry.position})
    return redirect("participants:work_history")
