"""Organisers and the batch's facilitators: who is behind, reminders, reading resumes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompeten.accounts.access import role_required
from kompeten.accounts.models import Role
from kompeten.elearning import selectors, services
from kompeten.elearning.forms import ReviewForm
from kompeten.elearning.models import Reminder
from kompeten.programs.batch_list import batch_page, batch_url

STAFF = (Role.ORGANISER, Role.FACILITATOR)


@role_required(*STAFF)
def overview(request: HttpRequest) -> HttpResponse:
    """One page of the current programme's batches (filter by number, level, start date)."""
    listing = batch_page(request, selectors.batches_overview(request.user))
    counts = selectors.participant_counts(listing.ids)
    progress, forum = batch_url("elearning:batch_progress"), batch_url("elearning:forum_batch")
    return render(request, "elearning/batches.html", {
        "listing": listing, "rows": [(b, counts.get(b.pk, 0), progress(b.pk), forum(b.pk))
                                     for b in listing.batches],
        "today": timezone.localdate()})


@role_required(*STAFF)
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_for(user=request.user, pk=pk)
    rows = selectors.batch_progress(batch)
    today = timezone.localdate()
    return render(request, "elearning/batch.html", {
        "batch": batch, "rows": rows, "behind": sum(not r.complete for r in rows),
        "days_before": (batch.start_date - today).days,
        "opens_on": selectors.opens_on(batch),
        "modules": list(selectors.modules_of(batch)),
        "waiting": list(selectors.resumes_waiting(batch)),
        "last_reminder": Reminder.objects.filter(batch=batch).first()})


@require_POST
@role_required(*STAFF)
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_for(user=request.user, pk=pk)
    try:
        reminder = services.remind_behind(batch=batch, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Pengingat dikirim ke %(n)s peserta yang belum selesai.")
                         % {"n": reminder.recipients})
    return HttpResponseRedirect(reverse("elearning:batch_progress", args=[batch.pk]))


@role_required(*STAFF)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    resume = selectors.resume_for(user=request.user, pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_resume(resume=resume, by=request.user,
                                   accept=form.cleaned_data["decision"] == "accept",
                                   comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            form.add_error("comment", exc)
        else:
            messages.success(request, _("Resume %(name)s: %(status)s.") % {
                "name": resume.registration.full_name,
                "status": _("diterima") if form.cleaned_data["decision"] == "accept"
                else _("dikembalikan")})
            return HttpResponseRedirect(reverse(
                "elearning:batch_progress", args=[resume.registration.placement.batch_id]))
    return render(request, "elearning/review.html", {"resume": resume, "form": form})
