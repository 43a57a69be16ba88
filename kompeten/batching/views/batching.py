"""Batch placement pages (organiser): overview per level, one batch, the waiting list."""

from __future__ import annotations

import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from kompeten.access.decorators import organiser_required
from kompeten.batching import selectors as batching_selectors
from kompeten.batching import services as batching
from kompeten.batching.forms import WAITING, BatchFilterForm, MoveForm, RunForm
from kompeten.common.pagecache import user_page
from kompeten.common.tables import TemplateColumn
from kompeten.programs import selectors as program_selectors
from kompeten.programs.models import Program

PICK_COLUMN = "batching/_pick_cell.html"


def _program(request: HttpRequest) -> Program:
    return program_selectors.program_for(code=request.GET.get("tahun") or request.POST.get("tahun"))


def _with_year(url: str, program: Program) -> str:
    return f"{url}?tahun={program.code}"


def _summary_message(summary: batching.Summary) -> str:
    text = _("%(level)s: %(seated)s peserta mendapat angkatan (%(new)s baru, %(waiting)s dari "
             "daftar tunggu); %(kept)s tetap di tempatnya; daftar tunggu sekarang %(queue)s.") % {
        "level": summary.level, "seated": summary.seated_now, "new": summary.placed_new,
        "waiting": summary.from_waiting, "kept": summary.kept, "queue": summary.waiting_total}
    if summary.preference_share is not None:
        text += " " + _("Preferensi tanggal instansi terpenuhi %(share)s%% (%(honoured)s dari "
                        "%(total)s).") % {"share": round(100 * summary.preference_share),
                                          "honoured": summary.preference_honoured,
                                          "total": summary.with_preference}
    return text


BATCHES_PER_PAGE = 50


@organiser_required
@require_http_methods(["GET", "POST"])
@user_page()
def overview(request: HttpRequest) -> HttpResponse:
    """Sums per level, one page of batches found by level/number/date/fill, and the stored
    result of the placement check (never run here: services store it when placements
    change)."""
    program = _program(request)
    check = batching_selectors.placement_check(program=program)
    levels = batching_selectors.level_summaries(program=program, check=check)
    preview = None
    form = None
    if request.method == "POST" and request.POST.get("action") == "check":
        batching.request_placement_check(program=program)
        messages.info(request, _("Pemeriksaan penempatan dijalankan di latar belakang; muat "
                                 "ulang halaman ini sebentar lagi untuk melihat hasilnya."))
        return redirect(_with_year(reverse("batching:batch_overview"), program))
    if request.method == "POST":
        form = RunForm(request.POST, levels=[row.level for row in levels])
        if form.is_valid():
            code = form.cleaned_data["level"]
            level = next(row.level for row in levels if row.level.code == code)
            action = form.cleaned_data["action"]
            if action == "preview":
                preview = batching.place_participants(program=program, level=level, dry_run=True)
            elif action == "run":
                summary = batching.place_participants(program=program, level=level)
                messages.success(request, _summary_message(summary))
                return redirect(_with_year(reverse("batching:batch_overview"), program))
            else:
                removed = batching.reset_unannounced(program=program, level=level)
                messages.success(request, _(
                    "%(level)s: %(count)s penempatan otomatis yang belum diumumkan dihapus. "
                    "Jalankan penempatan otomatis untuk menempatkan mereka lagi.")
                    % {"level": level.name, "count": removed})
                return redirect(_with_year(reverse("batching:batch_overview"), program))
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
    finder = BatchFilterForm(request.GET or None, levels=[row.level for row in levels])
    if finder.is_bound:
        finder.is_valid()
    # a plain loop over one page (a tables2 table costs ~1 ms a cell in signature lookups)
    page = Paginator(batching_selectors.find_batches(program=program, **finder.filters()),
                     BATCHES_PER_PAGE).get_page(request.GET.get("halaman"))
    report, current = batching_selectors.stored_check(program=program, check=check)
    return render(request, "batching/overview.html", {
        "program": program, "levels": levels, "preview": preview,
        "preview_level": form.cleaned_data.get("level") if preview and form else "",
        "report": report, "check": check, "check_current": current,
        "problems": report.problems(pending=False) if report else [],
        "finder": finder, "page": page, "pages": page.paginator.get_elided_page_range(
            page.number, on_each_side=2, on_ends=1),
        "filtered": any(value for value in finder.filters().values()),
    })


class RosterTable(tables.Table):
    seat = tables.Column(verbose_name=gettext_lazy("Kursi"), attrs={"td": {"class": "text-end"}})
    name = tables.Column(accessor="registration__full_name", verbose_name=gettext_lazy("Nama"))
    agency = tables.Column(accessor="registration__agency__name",
                           verbose_name=gettext_lazy("Instansi"))
    gender = TemplateColumn("{{ record.registration.gender }}", accessor="pk",
                                   verbose_name=gettext_lazy("L/P"))
    state = TemplateColumn(
        '{% load i18n %}{% if record.is_announced %}<span class="badge text-bg-success">'
        '{% translate "diumumkan" %}</span> {% endif %}{% if record.is_manual %}'
        '<span class="badge text-bg-secondary">{% translate "manual" %}</span>{% endif %}',
        verbose_name=gettext_lazy("Keterangan"), accessor="pk")
    move = TemplateColumn(template_name=PICK_COLUMN, accessor="pk",
                          verbose_name=gettext_lazy("Pilih"))

    class Meta:
        orderable = False
        attrs = {"class": "table table-sm table-striped align-middle", "id": "roster"}


class WaitingTable(tables.Table):
    waiting_since = tables.DateTimeColumn(format="j M Y H:i",
                                          verbose_name=gettext_lazy("Menunggu sejak"))
    name = tables.Column(accessor="registration__full_name", verbose_name=gettext_lazy("Nama"))
    agency = tables.Column(accessor="registration__agency__name",
                           verbose_name=gettext_lazy("Instansi"))
    move = TemplateColumn(template_name=PICK_COLUMN, accessor="pk",
                          verbose_name=gettext_lazy("Pilih"))

    class Meta:
        orderable = False
        attrs = {"class": "table table-sm table-striped align-middle", "id": "waiting"}


def _move(request: HttpRequest, *, placements, program: Program) -> tuple[bool, dict]:
    """Handle a move POST (the participant picked in the table, the page's one target).
    Returns (done, context for re-rendering on error: the pick and the typed number)."""
    form = MoveForm(request.POST)
    kept = {"error_placement": request.POST.get("placement", ""),
            "error_number": request.POST.get("angkatan", "")[:6]}
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return False, kept
    placement = get_object_or_404(placements, pk=form.cleaned_data["placement"])
    target = None
    if not form.to_waiting:
        number = form.cleaned_data["number"]
        target = batching_selectors.batch_by_number(program=program, number=number)
        if target is None:
            messages.error(request, _("Angkatan %(number)s tidak ada di penyelenggaraan "
                                      "%(year)s. Periksa nomornya di halaman penempatan "
                                      "angkatan.") % {"number": number, "year": program.year})
            return False, kept
    try:
        moved = batching.move_participant(placement=placement, to_batch=target,
                                          by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False, kept
    name = placement.registration.full_name
    if target is None:
        messages.success(request, _("%(name)s dipindahkan ke daftar tunggu.") % {"name": name})
    else:
        messages.success(request, _("%(name)s dipindahkan ke Angkatan %(batch)s, kursi %(seat)s.")
                         % {"name": name, "batch": target.number,
                            "seat": moved.placement.seat})
    if moved.rooms_released:
        messages.info(request, _("Kamar asrama %(name)s di angkatan lama dilepas; susun kamar "
                                 "lagi.") % {"name": name})
    return True, {}


@organiser_required
@require_http_methods(["GET", "POST"])
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = batching_selectors.batch_with_fill(pk=pk)
    if batch is None:
        raise Http404
    roster = batching_selectors.batch_roster(batch=batch)
    extra = {}
    if request.method == "POST":
        done, extra = _move(request, placements=roster, program=batch.program)
        if done:
            return redirect("batching:batch_detail", pk=batch.pk)
    table = RosterTable(roster)
    tables.RequestConfig(request, paginate=False).configure(table)
    suggestions = batching_selectors.batches_with_room_near(
        batch=batch, program=batch.program, level=batch.level)
    return render(request, "batching/batch.html", {
        "program": batch.program, "batch": batch, "table": table, "filled": batch.filled,
        "suggestions": suggestions, "from_batch": True, "waiting_value": WAITING, **extra,
    })


@organiser_required
@require_http_methods(["GET", "POST"])
def waiting(request: HttpRequest, level_code: str) -> HttpResponse:
    program = _program(request)
    level = batching_selectors.level_by_code(code=level_code)
    queue = batching_selectors.waiting_list(program=program, level=level)
    extra = {}
    if request.method == "POST":
        done, extra = _move(request, placements=queue, program=program)
        if done:
            return redirect(_with_year(reverse("batching:waiting_list", args=[level.code]),
                                       program))
    table = WaitingTable(queue)
    tables.RequestConfig(request, paginate={"per_page": 50}).configure(table)
    suggestions = batching_selectors.batches_with_room_near(batch=None, program=program,
                                                            level=level)
    return render(request, "batching/waiting.html", {
        "program": program, "level": level, "table": table,
        "free": batching_selectors.free_seats(program=program, level=level),
        "suggestions": suggestions, "from_batch": False, "waiting_value": WAITING, **extra,
    })
