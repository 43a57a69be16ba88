"""The organiser assigns facilitators and assessors to a batch."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kompeten.access import selectors, services
from kompeten.access.decorators import permission_required
from kompeten.access.forms import StaffForm
from kompeten.access.models import BatchStaff
from kompeten.programs.models import Batch


@require_http_methods(["GET", "POST"])
@permission_required("batch.staff")
def batch_staff(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(Batch.objects.select_related("program", "level"), pk=pk)
    form = StaffForm(request.POST or None, users=selectors.assignable_staff(batch=batch))
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_staff(batch=batch, user=form.cleaned_data["user"])
        except ValidationError as exc:
            form.add_error("user", exc)
        else:
            messages.success(request, _("Staf angkatan ditambahkan."))
            return redirect("access:batch_staff", pk=batch.pk)
    return render(request, "access/batch_staff.html", {
        "batch": batch, "program": batch.program, "form": form,
        "staff": selectors.batch_staff(batch=batch)})


@require_POST
@permission_required("batch.staff")
def remove_batch_staff(request: HttpRequest, pk: int) -> HttpResponse:
    staff = get_object_or_404(BatchStaff, pk=pk)
    services.remove_staff(staff=staff)
    messages.success(request, _("Staf angkatan dihapus."))
    return redirect("access:batch_staff", pk=staff.batch_id)
