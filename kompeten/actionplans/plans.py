"""The action plan (rencana tindak lanjut): saving it and drawing its week timeline.

A plan has points (one per line) and milestones in three horizons: short (≤3
months = 13 weeks), medium (≤6 months = 26 weeks) and long (≤12 months = 52
weeks), counted from the plan's week 1. A milestone without a start week
follows the previous one, as in the examples of the 2019 guide.
"""

import math
import re
from dataclasses import dataclass
from itertools import groupby

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.actionplans.models import ActionPlan, DurationUnit, Horizon, Milestone
from kompeten.registration import lifecycle
from kompeten.registration.models import Registration

# Last week of each horizon and the months it stands for.
HORIZON_LIMITS: dict[str, tuple[int, int]] = {
    Horizon.SHORT: (13, 3),
    Horizon.MEDIUM: (26, 6),
    Horizon.LONG: (52, 12),
}
HORIZON_NAMES = {
    Horizon.SHORT: gettext_lazy("Jangka pendek"),
    Horizon.MEDIUM: gettext_lazy("Jangka menengah"),
    Horizon.LONG: gettext_lazy("Jangka panjang"),
}
MIN_GANTT_WEEKS = 12
MAX_MILESTONES = 30
# "1. ", "2) ", "a. ", "- ", "• " at the start of a point: the page numbers points itself.
POINT_PREFIX = re.compile(r"^\s*(?:\d{1,2}[.)]|[a-zA-Z][.)]|[-•*·])(?:\s+|$)")


def duration_weeks(value: int, unit: str) -> int:
    """Weeks a duration occupies on the timeline: days → ceil(d/7), months → ceil(m·52/12)."""
    if value < 1:
        raise ValueError("duration must be positive")
    if unit == DurationUnit.DAY:
        return math.ceil(value / 7)
    if unit == DurationUnit.WEEK:
        return value
    if unit == DurationUnit.MONTH:
        return math.ceil(value * 52 / 12)
    raise ValueError(f"unknown duration unit {unit!r}")


def points(text: str) -> list[str]:
    """The points of a multi-line field, without empty lines or typed numbering."""
    result = []
    for line in (text or "").splitlines():
        line = POINT_PREFIX.sub("", line).strip()
        if line:
            result.append(line)
    return result


def horizon_title(horizon: str) -> str:
    """"Jangka menengah (≤6 bulan)"."""
    return str(Horizon(horizon).label)


@dataclass(frozen=True)
class PlanInput:
    title: str
    background: str
    problem: str
    goals: str
    benefits: str


@dataclass(frozen=True)
class MilestoneInput:
    horizon: str
    activity: str
    duration_value: int | None
    duration_unit: str
    output: str
    start_week: int | None = None


def milestone_error_key(number: int) -> str:
    """Key of a milestone's errors in the ValidationError of save_action_plan (1-based)."""
    return f"milestone_{number}"


def _check_plan(plan: PlanInput) -> tuple[dict, dict]:
    fields = {
        "title": " ".join(plan.title.split()),
        "background": "\n".join(points(plan.background)),
        "problem": plan.problem.strip(),
        "goals": "\n".join(points(plan.goals)),
        "benefits": "\n".join(points(plan.benefits)),
    }
    required = {"title": _("Judul wajib diisi."),
                "background": _("Tulis minimal satu butir latar belakang."),
                "problem": _("Pokok permasalahan wajib diisi."),
                "goals": _("Tulis minimal satu butir tujuan."),
                "benefits": _("Tulis minimal satu butir manfaat.")}
    errors = {name: [message] for name, message in required.items() if not fields[name]}
    for name, value in fields.items():
        field = ActionPlan._meta.get_field(name)
        if len(value) > field.max_length:
            errors[name] = [_("%(field)s paling panjang %(max)s karakter.") % {
                "field": capfirst(field.verbose_name), "max": field.max_length}]
    return fields, errors


def _check_milestone(number: int, item: MilestoneInput, after_week: int
                     ) -> tuple[Milestone | None, list[str]]:
    """Place one milestone; after_week is where the previous one ended."""
    label = _("Langkah kerja %(number)s") % {"number": number}
    problems = []
    if item.horizon not in HORIZON_LIMITS:
        problems.append(_("%(label)s: pilih jangka waktu (pendek, menengah atau panjang).")
                        % {"label": label})
    if not item.activity.strip():
        problems.append(_("%(label)s: kegiatan wajib diisi.") % {"label": label})
    if not item.output.strip():
        problems.append(_("%(label)s: target capaian/output wajib diisi.") % {"label": label})
    if item.duration_unit not in DurationUnit.values:
        problems.append(_("%(label)s: pilih satuan durasi (hari, minggu atau bulan).")
                        % {"label": label})
    if item.duration_value is None or item.duration_value < 1:
        problems.append(_("%(label)s: durasi harus bilangan bulat minimal 1.") % {"label": label})
    if item.start_week is not None and item.start_week < 1:
        problems.append(_("%(label)s: minggu mulai harus minimal 1.") % {"label": label})
    for name in ("activity", "output"):
        limit = Milestone._meta.get_field(name).max_length
        if len(getattr(item, name).strip()) > limit:
            problems.append(_("%(label)s: %(field)s paling panjang %(max)s karakter.") % {
                "label": label, "field": Milestone._meta.get_field(name).verbose_name,
                "max": limit})
    if problems:
        return None, problems
    start = item.start_week if item.start_week is not None else after_week + 1
    end = start + duration_weeks(item.duration_value, item.duration_unit) - 1
    limit, months = HORIZON_LIMITS[item.horizon]
    if end > limit:
        problems.append(
            _("%(label)s (%(horizon)s ≤%(months)s bulan) berakhir di minggu ke-%(end)s, "
              "melewati batas minggu ke-%(limit)s. Perpendek durasinya, isi minggu mulai yang "
              "lebih awal, atau pilih jangka waktu yang lebih panjang.")
            % {"label": label, "horizon": HORIZON_NAMES[item.horizon], "months": months,
               "end": end, "limit": limit})
        return None, problems
    milestone = Milestone(horizon=item.horizon, order=number, activity=item.activity.strip(),
                          duration_value=item.duration_value, duration_unit=item.duration_unit,
                          start_week=start, end_week=end, output=item.output.strip())
    return milestone, []


def place_milestones(milestones: list[MilestoneInput]) -> tuple[list[Milestone], dict]:
    """Compute each milestone's weeks; returns the unsaved rows and errors by row key."""
    placed: list[Milestone] = []
    errors: dict[str, list[str]] = {}
    after_week = 0
    for number, item in enumerate(milestones, start=1):
        milestone, problems = _check_milestone(number, item, after_week)
        if problems:
            errors[milestone_error_key(number)] = problems
            # Keep placing the rest as if this row were valid, so each row gets its own verdict.
            if item.duration_value and item.duration_unit in DurationUnit.values \
                    and item.duration_value > 0:
                start = item.start_week if item.start_week and item.start_week > 0 \
                    else after_week + 1
                after_week = start + duration_weeks(item.duration_value,
                                                    item.duration_unit) - 1
            continue
        placed.append(milestone)
        after_week = milestone.end_week
    return placed, errors


@transaction.atomic
def save_action_plan(*, registration: Registration, plan: PlanInput,
                     milestones: list[MilestoneInput]) -> ActionPlan:
    """Create or replace the participant's plan and all its milestones.

    Raises ValidationError keyed by plan field, "milestones" (the list as a whole)
    and milestone_error_key(n) for row n; nothing is saved then.
    """
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not lifecycle.file_editable(registration):
        raise ValidationError(_("Rencana tindak lanjut tidak dapat diubah lagi karena "
                                "pendaftaran sudah dikirim (status: %(status)s).")
                              % {"status": registration.get_status_display()}, code="locked")
    fields, errors = _check_plan(plan)
    if not milestones:
        errors["milestones"] = [_("Isi minimal satu langkah kerja.")]
    elif len(milestones) > MAX_MILESTONES:
        errors["milestones"] = [_("Paling banyak %(max)s langkah kerja.")
                                % {"max": MAX_MILESTONES}]
    placed, row_errors = place_milestones(milestones)
    errors.update(row_errors)
    if errors:
        raise ValidationError(errors)
    action_plan, _created = ActionPlan.objects.update_or_create(
        registration=registration, defaults=fields)
    action_plan.milestones.all().delete()
    for milestone in placed:
        milestone.plan = action_plan
    Milestone.objects.bulk_create(placed)
    return action_plan


# -- reads -------------------------------------------------------------------------------------


def plan_for(registration: Registration) -> ActionPlan | None:
    """The plan with its milestones (two queries), or None."""
    plan = (ActionPlan.objects.filter(registration=registration)
            .prefetch_related("milestones").first())
    if plan is not None:
        plan.registration = registration
    return plan


def milestone_inputs(plan: ActionPlan | None) -> list[MilestoneInput]:
    """The saved milestones as inputs again, to edit them. A milestone that simply follows
    the previous one gets no start week, so it keeps following it when durations change."""
    if plan is None:
        return []
    inputs, after_week = [], 0
    for m in plan.milestones.all():
        start = None if m.start_week == after_week + 1 else m.start_week
        inputs.append(MilestoneInput(horizon=m.horizon, activity=m.activity,
                                     duration_value=m.duration_value,
                                     duration_unit=m.duration_unit, output=m.output,
                                     start_week=start))
        after_week = m.end_week
    return inputs


@dataclass(frozen=True)
class GanttRow:
    milestone: Milestone
    horizon: str
    horizon_label: str
    cells: list[bool]


@dataclass(frozen=True)
class HorizonRun:
    """Consecutive milestones of one horizon (one spanning cell in the plan's table)."""

    horizon: str
    label: str
    milestones: list[Milestone]


@dataclass(frozen=True)
class Gantt:
    weeks: list[int]
    rows: list[GanttRow]

    @property
    def horizon_ends(self) -> list[int]:
        """Weeks after which a horizon ends, for vertical marks (13, 26)."""
        return [limit for limit, _months in HORIZON_LIMITS.values() if limit < len(self.weeks)]


def gantt(plan: ActionPlan) -> Gantt:
    """The week-by-week timeline: weeks 1..max(12, last end week), one row per milestone."""
    milestones = list(plan.milestones.all())
    last = max((m.end_week for m in milestones), default=0)
    weeks = list(range(1, max(MIN_GANTT_WEEKS, last) + 1))
    rows = [GanttRow(milestone=m, horizon=m.horizon, horizon_label=horizon_title(m.horizon),
                     cells=[m.start_week <= week <= m.end_week for week in weeks])
            for m in milestones]
    return Gantt(weeks=weeks, rows=rows)


def horizon_runs(plan: ActionPlan) -> list[HorizonRun]:
    return [HorizonRun(horizon=horizon, label=horizon_title(horizon), milestones=list(group))
            for horizon, group in groupby(plan.milestones.all(), key=lambda m: m.horizon)]


def duration_text(milestone: Milestone) -> str:
    """"2 minggu", "4 bulan"."""
    return f"{milestone.duration_value} {milestone.get_duration_unit_display()}"
