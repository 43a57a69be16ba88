"""Sessions and facilitators: the organiser's timetable per batch, the facilitator register,
and a facilitator's own timetable and calendar feed."""

import datetime as dt

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompeten.accounts.access import organiser_required, role_required
from kompeten.accounts.models import Role
from kompeten.classroom import calendar_feed, selectors, sessions
from kompeten.classroom.session_models import ClassSession, Facilitator, FacilitatorKind
from kompeten.programs.batch_list import batch_page, batch_url
from kompeten.programs.models import Batch
from kompeten.rumpun.views import program_from

ICS_SALT = "classroom.facilitator-ics"


def _batch(pk: int) -> Batch:
    return get_object_or_404(Batch.objects.select_related("program", "level"), pk=pk)


def _batch_url(batch: Batch) -> str:
    return reverse("kelas:batch_sessions", args=[batch.pk])


@organiser_required
def overview(request: HttpRequest) -> HttpResponse:
    """One page of the programme's batches (filter by number, level, start date) with their
    session counts: constant queries at any scale."""
    program = program_from(request)
    listing = batch_page(request, Batch.objects.filter(program=program).select_related("level")
                         .order_by("number"), keep={"tahun": str(program.code)})
    counts = dict(ClassSession.objects.filter(batch_id__in=listing.ids).order_by()
                  .values_list("batch_id").annotate(n=Count("pk")).values_list("batch_id", "n"))
    links = [batch_url(name) for name in (
        "kelas:batch_sessions", "kelas:batch_attendance", "kelas:evaluation_results")]
    return render(request, "classroom/days/overview.html", {
        "program": program, "listing": listing,
        "rows": [(b, counts.get(b.pk, 0), [link(b.pk) for link in links])
                 for b in listing.batches]})


@organiser_required
@require_POST
def generate(request: HttpRequest) -> HttpResponse:
    program = program_from(request)
    created = sessions.generate_sessions(program=program)
    messages.success(request, _("%(count)s sesi dibuat.") % {"count": created})
    return redirect(f"{reverse('kelas:overview')}?tahun={program.code}")


@role_required(Role.ORGANISER, Role.FACILITATOR)
def batch_sessions(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(pk)
    if not selectors.may_run_batch(request.user, batch.pk):
        raise Http404
    return render(request, "classroom/days/batch_sessions.html", {
        "batch": batch, "sessions": selectors.batch_sessions(batch),
        "facilitators": Facilitator.objects.filter(is_active=True).order_by("name"),
        "is_organiser": request.user.role == Role.ORGANISER})


def _session(pk: int) -> ClassSession:
    return get_object_or_404(ClassSession.objects.select_related("batch__program",
                                                                 "batch__level"), pk=pk)


@organiser_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(pk)
    chosen = request.POST.get("facilitator", "")
    facilitator = Facilitator.objects.filter(pk=int(chosen) if chosen.isdigit() else 0).first()
    if facilitator is None:
        messages.error(request, _("Pilih fasilitator."))
        return redirect(_batch_url(session.batch))
    try:
        sessions.assign(session=session, facilitator=facilitator)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s ditugaskan.") % {"name": facilitator.name})
    return redirect(_batch_url(session.batch))


@organiser_required
@require_POST
def unassign(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(pk)
    chosen = request.POST.get("facilitator", "")
    if chosen.isdigit():
        sessions.unassign(session=session, facilitator_id=int(chosen))
    return redirect(_batch_url(session.batch))


def _at(date_text: str, time_text: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(date_text),
                                                   dt.time.fromisoformat(time_text)))


@organiser_required
@require_POST
def edit_session(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(pk)
    try:
        day = request.POST.get("date", "")
        change = sessions.SessionChange(
            title=request.POST.get("title", "").strip() or session.title,
            starts_at=_at(day, request.POST.get("start", "")),
            ends_at=_at(day, request.POST.get("end", "")),
            jp=int(request.POST.get("jp", "0")), room=request.POST.get("room", "")[:100])
    except ValueError:
        messages.error(request, _("Tanggal, jam atau JP tidak valid."))
        return redirect(_batch_url(session.batch))
    try:
        sessions.update_session(session=session, change=change)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Sesi diperbarui."))
    return redirect(_batch_url(session.batch))


@organiser_required
def facilitators(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            sessions.create_facilitator(name=request.POST.get("name", ""),
                                        kind=request.POST.get("kind", ""),
                                        expertise=request.POST.get("expertise", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Fasilitator ditambahkan."))
        return redirect("kelas:facilitators")
    return render(request, "classroom/days/facilitators.html", {
        "facilitators": Facilitator.objects.select_related("user").order_by("name"),
        "kinds": FacilitatorKind.choices})


def ics_token(facilitator: Facilitator) -> str:
    return signing.dumps(facilitator.pk, salt=ICS_SALT)


@role_required(Role.FACILITATOR)
def my_timetable(request: HttpRequest) -> HttpResponse:
    facilitator = Facilitator.objects.filter(user=request.user).first()
    assignments = selectors.facilitator_timetable(facilitator) if facilitator else []
    feed = (request.build_absolute_uri(reverse("kelas:facilitator_ics",
                                               args=[ics_token(facilitator)]))
            if facilitator else "")
    return render(request, "classroom/days/my_timetable.html", {
        "facilitator": facilitator, "assignments": assignments, "feed": feed})


def facilitator_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The facilitator's sessions as an iCalendar feed (a signed address calendar apps can
    poll without logging in)."""
    try:
        pk = signing.loads(token, salt=ICS_SALT)
    except signing.BadSignature as exc:
        raise Http404 from exc
    facilitator = get_object_or_404(Facilitator, pk=pk)
    response = HttpResponse(calendar_feed.facilitator_ics(facilitator=facilitator),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="jadwal-fasilitator.ics"'
    return response
