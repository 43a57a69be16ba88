"""Topic groups (rumpun) per batch: the proposal, why, and moves by hand (organiser)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompeten.access.decorators import organiser_required
from kompeten.batching.models import Placement
from kompeten.common.pagecache import user_page
from kompeten.programs import selectors as program_selectors
from kompeten.programs.models import Level, Program
from kompeten.programs.selectors import training_days
from kompeten.rumpun import selectors as topic_selectors
from kompeten.rumpun import topics
from kompeten.rumpun.forms import GroupFilterForm, MoveTopicForm, ProposeForm


def program_from(request: HttpRequest) -> Program:
    """The programme of ?tahun=YYYY (or the POSTed one), else the current programme."""
    return program_selectors.program_for(code=request.GET.get("tahun") or request.POST.get("tahun"))


def _groups_url(program: Program, batch_id: int | None = None) -> str:
    url = f"{reverse('rumpun:topic_groups')}?tahun={program.code}"
    return f"{url}&angkatan={batch_id}" if batch_id else url


BATCHES_PER_PAGE = 25


@organiser_required
@user_page()
def groups(request: HttpRequest) -> HttpResponse:
    """One page of the batches' group sizes (found by level and number), and the groups of
    one batch (?angkatan=<id>; else the first batch of the page that has participants)."""
    program = program_from(request)
    all_topics = list(topic_selectors.topics())
    finder = GroupFilterForm(request.GET or None, levels=list(Level.objects.all()))
    if finder.is_bound:
        finder.is_valid()
    page = Paginator(topic_selectors.find_batches(program=program, **finder.filters()),
                     BATCHES_PER_PAGE).get_page(request.GET.get("halaman"))
    overview = topic_selectors.topic_overview(program=program, batches=page)
    selected = None
    wanted = request.GET.get("angkatan", "")
    if wanted.isdigit():
        selected = next((row for row in overview if row.batch.pk == int(wanted)), None)
        if selected is None:
            selected = topic_selectors.batch_groups(program=program, pk=int(wanted))
        if selected is None:
            raise Http404
    if selected is None:
        selected = next((row for row in overview if row.total), overview[0] if overview else None)
    minimum, maximum = program.group_min_size, program.group_max_size
    groups, members = [], []
    if selected is not None:
        members = topic_selectors.batch_members(batch=selected.batch)
        by_topic: dict = {}
        for placement in members:
            by_topic.setdefault(topic_selectors.topic_of(placement), []).append(placement)
        outside = set(selected.outside_bounds)
        groups = [{"topic": topic, "members": people,
                   "within": topic is not None and topic.pk not in outside}
                  for topic, people in by_topic.items()]
    rows = [{"groups": row, "cells": [(row.counts.get(t.pk, 0),
                                       t.pk in row.outside_bounds) for t in all_topics]}
            for row in overview]
    return render(request, "rumpun/groups.html", {
        "program": program, "rows": rows, "selected": selected, "groups": groups,
        "topics": all_topics, "member_count": len(members), "minimum": minimum,
        "maximum": maximum, "days": training_days(selected.batch) if selected else [],
        "finder": finder, "page": page, "pages": page.paginator.get_elided_page_range(
            page.number, on_each_side=2, on_ends=1),
        "filtered": any(value for value in finder.filters().values()),
    })


@organiser_required
@require_POST
def propose(request: HttpRequest) -> HttpResponse:
    program = program_from(request)
    form = ProposeForm(request.POST, program=program)
    if not form.is_valid():
        messages.error(request, _("Angkatan yang dipilih tidak ada di penyelenggaraan ini."))
        return redirect(_groups_url(program))
    batch = form.cleaned_data["batch"]
    result = topics.propose_groups(program=program, batch=batch)
    if not result.placements:
        messages.warning(request, _("Belum ada peserta yang ditempatkan di angkatan, jadi belum "
                                    "ada rumpun yang dapat diusulkan."))
    else:
        messages.success(request, _(
            "Rumpun diusulkan untuk %(people)s peserta di %(batches)s angkatan; %(changed)s "
            "berubah, %(manual)s pilihan manual dipertahankan.") % {
            "people": result.placements, "batches": result.batches, "changed": result.changed,
            "manual": result.manual_kept})
    if result.unbalanced:
        messages.warning(request, _(
            "Ukuran kelompok belum dapat dipenuhi di %(batches)s karena pilihan manual. "
            "Periksa rumpun yang ditandai merah.") % {
            "batches": ", ".join(str(b) for b in result.unbalanced)})
    return redirect(_groups_url(program, batch.pk if batch else None))


@organiser_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    placement = get_object_or_404(
        Placement.objects.select_related("registration__program", "batch"), pk=pk)
    program = placement.registration.program
    form = MoveTopicForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        topic = form.cleaned_data["topic"]
        try:
            result = topics.move_topic(placement=placement, topic=topic, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(name)s dipindah ke rumpun %(topic)s.") % {
                "name": placement.registration.full_name, "topic": topic.name})
            for warning in result.warnings:
                messages.warning(request, warning)
    return redirect(f"{_groups_url(program, placement.batch_id)}#p-{placement.pk}")
