"""The organiser's review: the queue, one file with its decision form, and old versions."""

import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from kompeten.access.decorators import organiser_required
from kompeten.common.pagecache import user_page
from kompeten.programs.selectors import current_program
from kompeten.registration import lifecycle
from kompeten.registration.models import Registration
from kompeten.registration.selectors import registration_for
from kompeten.review import selectors, services
from kompeten.review.filters import QueueFilter
from kompeten.review.forms import DecisionForm


class QueueTable(tables.Table):
    # The cells are drawn by the table's template (one loop, no per-cell render call);
    # the columns give the headers and the sorting.
    submitted_at = tables.Column(verbose_name=gettext_lazy("Menunggu sejak"),
                                 order_by=("submitted_at", "pk"))
    plain_name = tables.Column(verbose_name=gettext_lazy("Nama"), order_by=("plain_name",))
    agency = tables.Column(verbose_name=gettext_lazy("Instansi"), order_by=("agency__name",))
    level = tables.Column(verbose_name=gettext_lazy("Jenjang"), order_by=("level__order",))
    version = tables.Column(verbose_name=gettext_lazy("Versi"))

    class Meta:
        model = Registration
        fields = ("submitted_at", "plain_name", "agency", "level", "version")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "review-queue"}
        empty_text = gettext_lazy("Tidak ada berkas yang menunggu review.")
        template_name = "review/queue/_table.html"


@organiser_required
@user_page()
def queue(request: HttpRequest) -> HttpResponse:
    program = current_program()
    filterset = QueueFilter(request.GET or None,
                            queryset=selectors.review_queue(program=program))
    table = QueueTable(filterset.qs, order_by=request.GET.get("sort", "submitted_at"))
    tables.RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "review/queue/queue.html",
                  {"program": program, "filter": filterset, "table": table})


def _file_context(registration: Registration, submission) -> dict:
    return {"registration": registration, "submission": submission,
            "file": selectors.file_view(submission.snapshot) if submission else None}


@organiser_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    registration = registration_for(user=request.user, pk=pk)
    submission = selectors.latest_submission(registration=registration)
    decision = selectors.decision_for(submission=submission) if submission else None
    form = DecisionForm(request.POST or None,
                        initial={"version": submission.number if submission else 0})
    if request.method == "POST" and form.is_valid():
        try:
            result = services.decide(
                registration=registration, reviewer=request.user,
                decision=form.cleaned_data["decision"], comments=form.comments(),
                reason=form.cleaned_data["reason"], version=form.cleaned_data["version"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Keputusan untuk %(name)s tersimpan: %(decision)s. "
                                        "Peserta diberi tahu lewat e-mail.")
                             % {"name": registration.full_name,
                                "decision": result.get_decision_display()})
            return redirect("review:queue")
    return render(request, "review/review.html", {
        **_file_context(registration, submission), "form": form, "decision": decision,
        "can_decide": submission is not None and decision is None
        and lifecycle.can(registration, "accept", request.user),
        "history": selectors.history(registration=registration)})


@organiser_required
def version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    registration = registration_for(user=request.user, pk=pk)
    submission = selectors.submission_for(registration=registration, number=number)
    decision = selectors.decision_for(submission=submission)
    return render(request, "review/version.html", {
        **_file_context(registration, submission), "decision": decision,
        "comments": selectors.comments_of(decision) if decision else []})
