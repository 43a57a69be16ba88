"""Dormitory pages (organiser): nights overview, one night's room list and PDF, rooms."""

import datetime as dt

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kompeten.access.decorators import organiser_required
from kompeten.batching.models import Placement
from kompeten.common.pagecache import user_page
from kompeten.common.tables import TemplateColumn
from kompeten.dormitory import checks, rooms
from kompeten.dormitory import selectors as room_selectors
from kompeten.dormitory.checker import ROOM_RULES
from kompeten.dormitory.forms import RoomForm, RoomGenerateForm, StayForm
from kompeten.dormitory.models import Room, RoomCheckNight
from kompeten.dormitory.pdf import night_title, room_list_pdf
from kompeten.programs import selectors as program_selectors


def _program(request: HttpRequest):
    return program_selectors.program_for(code=request.GET.get("tahun") or request.POST.get("tahun"))


def _night(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise Http404 from exc


def _nights_url(program) -> str:
    return f"{reverse('dormitory:room_nights')}?tahun={program.code}"


def _month(value: str | None, months: list[dt.date]) -> dt.date | None:
    """The month asked for (?bulan=YYYY-MM), else this month or the next with nights, else
    (a past programme) its first one."""
    if value:
        try:
            return dt.date.fromisoformat(f"{value}-01")
        except ValueError:
            pass
    if not months:
        return None
    this_month = timezone.localdate().replace(day=1)
    return next((m for m in months if m >= this_month), months[0])


def _month_end(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


@organiser_required
def nights(request: HttpRequest) -> HttpResponse:
    """The nights of one month (every month reachable by its link, every night by the date
    field), with the stored room check; the checker never runs here."""
    program = _program(request)
    if request.GET.get("malam"):
        day = _night(request.GET["malam"])
        return redirect(f"{reverse('dormitory:room_night', args=[day.isoformat()])}"
                        f"?tahun={program.code}")
    months = room_selectors.night_months(program=program)
    month = _month(request.GET.get("bulan"), months)
    rows = []
    if month is not None:
        end = _month_end(month)
        rows = room_selectors.night_overview(program=program, start=month, end=end)
        problems_of = checks.nights_with_problems(program=program, start=month, end=end)
        for row in rows:
            found = problems_of.get(row.night)
            row.problems = found.problems if found else 0
    check = checks.stored_check(program=program)
    problems = [(ROOM_RULES[rule], count) for rule, count in check.counts.items()
                if count and rule in ROOM_RULES]
    rooms_in_use = Room.objects.filter(is_active=True).aggregate(rooms=Count("pk"),
                                                                beds=Sum("capacity"))
    return render(request, "dormitory/nights.html", {
        "program": program, "rows": rows, "problems": problems,
        "check": check, "months": months, "month": month,
        "previous_month": next((m for m in reversed(months) if month and m < month), None),
        "next_month": next((m for m in months if month and m > month), None),
        "room_count": rooms_in_use["rooms"], "bed_count": rooms_in_use["beds"] or 0,
    })


@organiser_required
@require_POST
def check(request: HttpRequest) -> HttpResponse:
    """Check the whole programme again, in the background (the page asks first)."""
    program = _program(request)
    checks.request_check(program=program)
    messages.info(request, _("Pemeriksaan kamar seluruh penyelenggaraan dijalankan di latar "
                             "belakang; hasilnya tampil di halaman ini setelah selesai."))
    return redirect(_nights_url(program))


@organiser_required
@require_POST
def assign(request: HttpRequest) -> HttpResponse:
    program = _program(request)
    summary = rooms.assign_rooms(program=program)
    messages.success(request, _(
        "Kamar tersusun untuk %(nights)s malam: %(beds)s tempat tidur terisi."
    ) % {"nights": len(summary.nights), "beds": summary.assignments})
    if summary.unassigned_count:
        short = [f"{date_format(n.night, 'j M')}: {n.unassigned_count}"
                 for n in summary.nights if n.unassigned_count]
        messages.warning(request, _(
            "Kamar tidak cukup: %(count)s orang-malam belum mendapat kamar (%(nights)s). "
            "Tambahkan kamar lalu susun lagi."
        ) % {"count": summary.unassigned_count, "nights": ", ".join(short)})
    return redirect(_nights_url(program))


@organiser_required
@user_page()
def night(request: HttpRequest, night: str) -> HttpResponse:
    program = _program(request)
    day = _night(night)
    beds = room_selectors.night_roster(program=program, night=day)
    # a plain loop of 200 beds a page (a night holds up to every bed of the dormitory)
    page = Paginator(beds, 200).get_page(request.GET.get("page"))
    return render(request, "dormitory/night.html", {
        "program": program, "night": day, "title": night_title(day), "page": page,
        "here": request.get_full_path(),
        "room_count": len({b.room.pk for b in beds}), "bed_count": len(beds),
        "without_bed": room_selectors.night_without_bed(program=program, night=day),
        "not_staying": room_selectors.night_not_staying(program=program, night=day),
        "previous": day - dt.timedelta(days=1), "next": day + dt.timedelta(days=1),
        "night_problems": [(ROOM_RULES[rule], count) for rule, count in (
            checks.nights_with_problems(program=program, start=day, end=day).get(day)
            or RoomCheckNight(counts={})).counts.items() if rule in ROOM_RULES],
    })


@organiser_required
def night_pdf(request: HttpRequest, night: str) -> HttpResponse:
    program = _program(request)
    day = _night(night)
    content = room_list_pdf(
        program=program, night=day,
        beds=room_selectors.night_roster(program=program, night=day),
        without_bed=room_selectors.night_without_bed(program=program, night=day))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="kamar-asrama-{day.isoformat()}.pdf"'
    return response


@organiser_required
@require_POST
def toggle_stay(request: HttpRequest, pk: int) -> HttpResponse:
    placement = get_object_or_404(Placement.objects.select_related("registration"), pk=pk)
    form = StayForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Permintaan tidak valid: pilih menginap atau tidak."))
    else:
        change = rooms.set_staying(placement=placement, stays=form.cleaned_data["stays"])
        name = placement.registration.full_name
        if not change.stays:
            text = _("%(name)s ditandai tidak menginap; %(beds)s tempat tidur dilepas.") % {
                "name": name, "beds": change.removed}
            if change.handed_over:
                text += " " + _("%(count)s di antaranya langsung diberikan kepada peserta yang "
                                "belum mendapat kamar.") % {"count": change.handed_over}
            messages.success(request, text)
        elif change.without_bed:
            messages.warning(request, _(
                "%(name)s menginap lagi, tetapi belum ada tempat tidur kosong pada malam "
                "%(nights)s.") % {"name": name, "nights": ", ".join(
                    date_format(n, "j M Y") for n in change.without_bed)})
        else:
            messages.success(request, _("%(name)s menginap lagi dan mendapat tempat tidur pada "
                                        "%(count)s malam.")
                             % {"name": name, "count": len(change.assigned)})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = _nights_url(placement.registration.program)
    return redirect(target)


class RoomFilter(django_filters.FilterSet):
    building = django_filters.CharFilter(label=gettext_lazy("Gedung"), lookup_expr="icontains")
    is_active = django_filters.BooleanFilter(label=gettext_lazy("Dipakai"))

    class Meta:
        model = Room
        fields = ["building", "is_active"]


class RoomTable(tables.Table):
    building = tables.Column(verbose_name=gettext_lazy("Gedung"))
    number = TemplateColumn(
        '<a href="{% url "dormitory:room_edit" record.pk %}">{{ record.number }}</a>',
        verbose_name=gettext_lazy("Nomor kamar"), order_by=("number",))
    capacity = tables.Column(verbose_name=gettext_lazy("Kapasitas"))
    is_active = tables.BooleanColumn(verbose_name=gettext_lazy("Dipakai"))

    class Meta:
        model = Room
        fields = ("building", "number", "capacity", "is_active")
        attrs = {"class": "table table-sm table-striped align-middle", "id": "room-table"}


@organiser_required
def room_list(request: HttpRequest) -> HttpResponse:
    filterset = RoomFilter(request.GET or None, queryset=Room.objects.all())
    table = RoomTable(filterset.qs, order_by=request.GET.get("sort"))
    tables.RequestConfig(request, paginate={"per_page": 100}).configure(table)
    return render(request, "dormitory/room_list.html", {
        "filter": filterset, "table": table,
        "totals": Room.objects.filter(is_active=True).aggregate(rooms=Count("pk"),
                                                                beds=Sum("capacity"))})


@organiser_required
@require_http_methods(["GET", "POST"])
def room_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_object_or_404(Room, pk=pk) if pk is not None else None
    form = RoomForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = rooms.save_room(room=instance, building=data["building"],
                                    number=data["number"], capacity=data["capacity"],
                                    is_active=data["is_active"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Kamar %(room)s tersimpan.") % {"room": saved.room})
            if saved.overfull_nights:
                messages.warning(request, _(
                    "Kamar ini sudah terisi melebihi kapasitas barunya pada malam %(nights)s: "
                    "susun kamar lagi.") % {"nights": ", ".join(
                        date_format(n, "j M Y") for n in saved.overfull_nights)})
            return redirect("dormitory:room_list")
    return render(request, "dormitory/room_form.html", {"form": form, "instance": instance})


@organiser_required
@require_http_methods(["GET", "POST"])
def room_generate(request: HttpRequest) -> HttpResponse:
    form = RoomGenerateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = rooms.create_rooms(building=data["building"], count=data["count"],
                                         capacity=data["capacity"],
                                         first_number=data["first_number"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            skipped = data["count"] - len(created)
            text = _("%(count)s kamar baru di %(building)s.") % {
                "count": len(created), "building": data["building"]}
            if skipped:
                text += " " + _("%(skipped)s nomor sudah ada dan dibiarkan.") % {
                    "skipped": skipped}
            messages.success(request, text)
            return redirect("dormitory:room_list")
    return render(request, "dormitory/room_generate.html", {"form": form})
