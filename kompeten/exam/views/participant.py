"""The participant's written test: enter the token, answer (each answer saved as given),
finish. The key never reaches the page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kompeten.access.decorators import permission_required
from kompeten.exam import selectors, services
from kompeten.exam.forms import SaveForm, TokenForm


@require_GET
@permission_required("exam.take")
def mine(request: HttpRequest) -> HttpResponse:
    placement = selectors.placement_of(request.user)
    session = selectors.open_session_of(placement)
    return render(request, "exam/mine.html", {
        "placement": placement, "session": session, "form": TokenForm(),
        "attempts": selectors.participant_attempts(request.user)})


@require_POST
@permission_required("exam.take")
def start(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Masukkan token ujian yang ditampilkan asesor."))
        return HttpResponseRedirect(reverse("exam:mine"))
    try:
        attempt = services.start_attempt(user=request.user, token=form.cleaned_data["token"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(reverse("exam:mine"))
    return HttpResponseRedirect(reverse("exam:take", args=[attempt.pk]))


@require_GET
@permission_required("exam.take")
def take(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = selectors.attempt_of_participant(user=request.user, pk=pk)
    now = timezone.now()
    attempt = services.close_if_due(attempt, now=now)
    items = selectors.attempt_items(attempt)
    return render(request, "exam/take.html", {
        "attempt": attempt, "items": items, "batch": attempt.session.batch,
        "seconds_left": services.seconds_left(attempt, now),
        "answered": sum(1 for item in items if item.choice_id or item.text),
    })


@require_POST
@permission_required("exam.take")
def save(request: HttpRequest, pk: int) -> JsonResponse:
    """One answer; always JSON. 200 with a status the script acts on: saved, stale (a newer
    answer is stored: seq), closed (deadline passed) or invalid (not part of this attempt)."""
    attempt = selectors.attempt_to_save(user=request.user, pk=pk)
    form = SaveForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"status": services.SaveStatus.INVALID, "seq": 0,
                             "message": _("Permintaan simpan tidak lengkap; tidak ada yang "
                                          "disimpan.")})
    data = form.cleaned_data
    kind = data["kind"]
    if kind == "choice" and data["choice"] is None:
        kind = "clear"
    result = services.save_answer(
        attempt=attempt, slot=data["slot"], seq=data["seq"],
        choice=data["choice"] if kind == "choice" else None,
        text=data["text"] if kind == "text" else None)
    return JsonResponse({"status": result.status, "seq": result.seq, "message": result.message,
                         "seconds_left": result.seconds_left})


@require_POST
@permission_required("exam.take")
def finish(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = selectors.attempt_of_participant(user=request.user, pk=pk)
    try:
        services.finish_attempt(attempt=attempt)
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Ujian selesai. Jawaban Anda tersimpan."))
    return HttpResponseRedirect(reverse("exam:take", args=[attempt.pk]))


@require_GET
@permission_required("exam.image")
def image(request: HttpRequest, pk: int) -> FileResponse:
    question = selectors.image_question_for(user=request.user, pk=pk)
    stored = question.image
    response = FileResponse(stored.file.open("rb"), content_type=stored.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
