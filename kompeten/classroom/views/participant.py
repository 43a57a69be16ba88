"""The participant's classroom pages: the rules of conduct and the reaction evaluation; the
organiser's evaluation results."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompeten.accounts.access import organiser_required, role_required
from kompeten.accounts.models import Role
from kompeten.classroom import attendance, evaluation, selectors
from kompeten.classroom.attendance_models import ConductAcknowledgement, EvaluationSubmission
from kompeten.classroom.conduct import RULES
from kompeten.programs.models import Batch

participant_required = role_required(Role.PARTICIPANT)


def _placement(request: HttpRequest):
    placement = selectors.participant_placement(request.user)
    if placement is None:
        raise Http404
    return placement


@participant_required
def conduct(request: HttpRequest) -> HttpResponse:
    placement = selectors.participant_placement(request.user)
    ack = (ConductAcknowledgement.objects.filter(registration=placement.registration).first()
           if placement else None)
    return render(request, "classroom/days/conduct.html",
                  {"rules": RULES, "placement": placement, "ack": ack})


@require_POST
@participant_required
def acknowledge(request: HttpRequest) -> HttpResponse:
    placement = _placement(request)
    if request.POST.get("agree") != "1":
        messages.error(request, _("Centang pernyataan bahwa Anda telah membaca tata tertib."))
    else:
        attendance.acknowledge_conduct(registration=placement.registration)
        messages.success(request, _("Terima kasih, persetujuan tata tertib tercatat."))
    return redirect("kelas:conduct")


@participant_required
def evaluate(request: HttpRequest) -> HttpResponse:
    placement = _placement(request)
    batch = placement.batch
    items = evaluation.items(batch)
    done = EvaluationSubmission.objects.filter(registration=placement.registration).exists()
    if request.method == "POST" and not done:
        answers = {}
        for item in items:
            score = request.POST.get(f"score-{item.key}", "")
            if score.isdigit():
                answers[item.key] = evaluation.Answer(
                    int(score), request.POST.get(f"comment-{item.key}", ""))
        try:
            evaluation.submit(placement=placement, answers=answers)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Terima kasih, evaluasi Anda tersimpan."))
            return redirect("kelas:evaluate")
    return render(request, "classroom/days/evaluate.html", {
        "batch": batch, "items": items, "done": done, "open": evaluation.is_open(batch),
        "scale": range(1, 6), "posted": request.POST})


@organiser_required
def evaluation_results(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(Batch.objects.select_related("program", "level"), pk=pk)
    submitted, results = evaluation.results(batch)
    return render(request, "classroom/days/evaluation_results.html", {
        "batch": batch, "submitted": submitted, "results": results,
        "participants": batch.placements.count()})
