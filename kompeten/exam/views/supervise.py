"""The assessor's side (the batch's assessor or the organiser): sessions, the live page,
time and unlocking, closing, marking essays and the scores per unit."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kompeten.access.decorators import permission_required
from kompeten.access.rules import batches_for
from kompeten.common.paging import BATCHES_PER_PAGE, BatchFilter
from kompeten.exam import selectors, services
from kompeten.exam.forms import ExtendForm, MarkForm
from kompeten.programs.models import Level
from kompeten.programs.selectors import current_program


def _error(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@require_GET
@permission_required("exam.supervise")
def sessions(request: HttpRequest) -> HttpResponse:
    program = current_program()
    found = BatchFilter.from_request(request)
    served = found.apply(batches_for(request.user))
    page = Paginator(selectors.sessions_for(request.user, served), BATCHES_PER_PAGE).get_page(
        request.GET.get("halaman"))
    prepare = selectors.exam_batches(request.user, program, served)
    return render(request, "exam/sessions.html", {
        "sessions": list(page.object_list), "page": page, "found": found,
        "levels": Level.objects.order_by("order"),
        "batches": list(prepare[:BATCHES_PER_PAGE]), "batch_count": prepare.count(),
        "program": program})


@require_POST
@permission_required("exam.supervise")
def create(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_for(user=request.user, pk=pk)
    try:
        session = services.create_session(batch=batch, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
        return HttpResponseRedirect(reverse("exam:sessions"))
    messages.success(request, _("Sesi ujian disiapkan. Buka sesi saat peserta siap."))
    return HttpResponseRedirect(reverse("exam:live", args=[session.pk]))


def _live_context(session) -> dict:
    now = timezone.now()
    rows = selectors.live_rows(session)
    for row in rows:
        row.seconds_left = services.seconds_left(row.attempt, now) if row.attempt else 0
    return {"session": session, "rows": rows, "now": now,
            "started": sum(1 for r in rows if r.attempt),
            "running": sum(1 for r in rows if r.attempt and not r.attempt.closed_at)}


@require_GET
@permission_required("exam.supervise")
def live(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for(user=request.user, pk=pk)
    return render(request, "exam/live.html", _live_context(session))


@require_GET
@permission_required("exam.supervise")
def live_rows(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for(user=request.user, pk=pk)
    services.close_due_attempts(session=session)
    return render(request, "exam/_live_rows.html", _live_context(session))


@require_POST
@permission_required("exam.supervise")
def open_session(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for(user=request.user, pk=pk)
    try:
        services.open_session(session=session, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Sesi dibuka. Tampilkan token kepada peserta."))
    return HttpResponseRedirect(reverse("exam:live", args=[session.pk]))


@permission_required("exam.supervise")
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first (GET), then closes (POST)."""
    session = selectors.session_for(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            count = services.close_session(session=session, by=request.user)
        except ValidationError as exc:
            _error(request, exc)
            return HttpResponseRedirect(reverse("exam:live", args=[session.pk]))
        messages.success(request, _("Sesi ditutup; %(n)s percobaan ditutup dengan jawaban "
                                    "tersimpannya dan pilihan ganda dinilai.") % {"n": count})
        return HttpResponseRedirect(reverse("exam:marking", args=[session.pk]))
    return render(request, "exam/close.html", _live_context(session))


@permission_required("exam.supervise")
def manage_attempt(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = selectors.attempt_for_staff(user=request.user, pk=pk)
    form = ExtendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        try:
            if action == "unlock":
                services.unlock_attempt(attempt=attempt, by=request.user,
                                        minutes=form.cleaned_data["minutes"],
                                        reason=form.cleaned_data["reason"])
                messages.success(request, _("Percobaan dibuka kembali."))
            else:
                services.extend_attempt(attempt=attempt, by=request.user,
                                        minutes=form.cleaned_data["minutes"],
                                        reason=form.cleaned_data["reason"])
                messages.success(request, _("Waktu ditambah."))
        except ValidationError as exc:
            _error(request, exc)
        else:
            return HttpResponseRedirect(reverse("exam:live", args=[attempt.session_id]))
    elif request.method == "POST":
        messages.error(request, _("Isi tambahan menit dan alasannya."))
    attempt.refresh_from_db()
    return render(request, "exam/attempt.html", {
        "attempt": attempt, "form": form, "events": list(attempt.events.select_related("by")),
        "seconds_left": services.seconds_left(attempt, timezone.now())})


@require_GET
@permission_required("exam.supervise")
def marking(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for(user=request.user, pk=pk)
    essays = selectors.essays_to_mark(session)
    return render(request, "exam/marking.html", {
        "session": session, "essays": essays,
        "unmarked": sum(1 for item in essays if item.points is None)})


@require_POST
@permission_required("exam.supervise")
def mark(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_for_staff(user=request.user, pk=pk)
    form = MarkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Skor harus angka 0 sampai %(max)s.") % {"max": item.max_points})
    else:
        try:
            services.mark_essay(item=item, points=form.cleaned_data["points"], by=request.user)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Skor disimpan."))
    return HttpResponseRedirect(reverse("exam:marking", args=[item.attempt.session_id])
                                + f"#essay-{item.pk}")


@require_GET
@permission_required("exam.supervise")
def results(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for(user=request.user, pk=pk)
    units, rows = selectors.session_results(session)
    return render(request, "exam/results.html", {
        "session": session, "units": units,
        "rows": [(row, [row.scores.get(unit.pk) for unit in units]) for row in rows]})
