"""Reads of the programs app. Agency scoping for operators lives here."""

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, QuerySet, Sum
from django.http import Http404

from kompeten.accounts.models import Role, User
from kompeten.programs.models import Agency, Batch, Program, ProgramStage


def current_program() -> Program | None:
    """The active programme with the latest year (None before any is loaded)."""
    return Program.objects.filter(is_active=True).order_by("-year").first()


def program_by_year(*, year: int) -> Program:
    try:
        return Program.objects.get(year=year)
    except Program.DoesNotExist as exc:
        raise Http404 from exc


def program_for(*, year: str | None) -> Program:
    """The programme of a ?tahun=YYYY value, else the current one; 404 when there is none."""
    if year and year.isdigit():
        return program_by_year(year=int(year))
    program = current_program()
    if program is None:
        raise Http404
    return program


def agencies_visible_to(*, user: User) -> QuerySet[Agency]:
    """Organisers see every agency, an operator only their own, others none."""
    if user.role == Role.ORGANISER:
        return Agency.objects.all()
    if user.role == Role.OPERATOR and user.agency_id:
        return Agency.objects.filter(pk=user.agency_id)
    return Agency.objects.none()


def agency_for(*, user: User, pk: int) -> Agency:
    """An agency the user may see, or 404 (never revealing that another exists)."""
    agency = agencies_visible_to(user=user).filter(pk=pk).first()
    if agency is None:
        raise Http404
    return agency


def schedule_batches(
    *, program: Program, level_code: str | None = None, month: int | None = None
) -> QuerySet[Batch]:
    batches = program.batches.select_related("level").order_by("start_date", "number")
    if level_code:
        batches = batches.filter(level__code=level_code)
    if month:
        batches = batches.filter(start_date__month=month)
    return batches


def program_months(*, program: Program) -> list[dt.date]:
    """First day of every month in which a batch of the programme runs."""
    months = set()
    for start, end in program.batches.values_list("start_date", "end_date"):
        months.add(start.replace(day=1))
        months.add(end.replace(day=1))
    return sorted(months)


@dataclass
class CalendarDay:
    date: dt.date | None
    batches: list[Batch] = field(default_factory=list)


def month_calendar(*, program: Program, month: dt.date, level_code: str | None = None
                   ) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of the month, each day with the batches running on it."""
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    batches = list(
        schedule_batches(program=program, level_code=level_code)
        .filter(start_date__lte=last, end_date__gte=first)
    )
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        days = []
        for day in week:
            if day.month != first.month:
                days.append(CalendarDay(None))
                continue
            days.append(CalendarDay(day, [b for b in batches if b.start_date <= day <= b.end_date]))
        weeks.append(days)
    return weeks


def next_stage(*, program: Program, today: dt.date) -> ProgramStage | None:
    """The first stage on or after today; None when the timeline is over."""
    return program.stages.filter(date__gte=today).order_by("date", "number").first()


def upcoming_batches(*, program: Program, today: dt.date, limit: int = 5) -> list[Batch]:
    return list(
        program.batches.select_related("level").filter(end_date__gte=today)
        .order_by("start_date", "number")[:limit]
    )


def batch_counts_by_level(*, program: Program) -> list[dict]:
    return list(
        program.batches.values("level__name", "level__order")
        .annotate(batches=Count("id"), seats=Sum("capacity"), first=Min("start_date"),
                  last=Max("end_date"))
        .order_by("level__order")
    )


def training_days(batch: Batch) -> list[dt.date]:
    return [batch.start_date + dt.timedelta(days=i) for i in range(batch.days)]
