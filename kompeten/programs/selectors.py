"""Reads of the programs app. Agency scoping for operators lives here."""

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.http import Http404

from kompeten.access.rules import batches_for, scope_to_agency
from kompeten.accounts.models import User
from kompeten.programs.models import (
    Agency,
    AgencyKind,
    Batch,
    JPKind,
    Level,
    Program,
    ProgramQualification,
    ProgramStage,
    QualificationScope,
)


def current_program() -> Program | None:
    """The programme marked current, else the active one with the latest year (None
    before any is loaded)."""
    programs = Program.objects.filter(is_active=True)
    return (programs.filter(is_current=True).first()
            or programs.order_by("-year", "-id").first())


def program_by_code(*, code: str) -> Program:
    try:
        return Program.objects.get(code=code)
    except Program.DoesNotExist as exc:
        raise Http404 from exc


def program_for(*, code: str | None) -> Program:
    """The programme of a ?tahun=<code> value (e.g. 2019), else the current one; 404
    when there is none."""
    if code:
        return program_by_code(code=code)
    program = current_program()
    if program is None:
        raise Http404
    return program


def agencies_visible_to(*, user: User) -> QuerySet[Agency]:
    """Organisers see every agency, an operator only their own, others none."""
    return scope_to_agency(Agency.objects.all(), user, field="pk")


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


def schedule_position(*, batches: QuerySet[Batch], number: str) -> int | None:
    """How many of ``batches`` (in schedule order) come before batch ``number``; None when
    it is not among them. Two small queries (the batch, then a count on the index)."""
    if not number.isdigit() or len(number) > 9:
        return None
    batch = batches.filter(number=int(number)).values("start_date", "number").first()
    if batch is None:
        return None
    return batches.filter(Q(start_date__lt=batch["start_date"])
                          | Q(start_date=batch["start_date"], number__lt=batch["number"])).count()


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


def total_jp(*, program: Program) -> int:
    return program.jp_components.aggregate(total=Sum("jp"))["total"] or 0


def jp_by_kind(*, program: Program) -> dict[str, int]:
    """{"elearning": 3, "classroom": 12, "evaluation": 6, "total": 21}; absent kinds are 0."""
    jp = dict.fromkeys(JPKind.values, 0)
    jp.update(program.jp_components.values_list("kind", "jp"))
    jp["total"] = sum(jp.values())
    return jp


@dataclass(frozen=True)
class StageOnTimeline:
    """A stage with the dates of one level's timeline (or the programme's own)."""

    stage: ProgramStage
    start: dt.date
    end: dt.date

    @property
    def kind(self) -> str:
        return self.stage.kind

    def is_open(self, today: dt.date) -> bool:
        return self.start <= today <= self.end


def timeline(*, program: Program, level: Level | None = None) -> list[StageOnTimeline]:
    """The programme's stages, with ``level``'s own dates where it has them, by date."""
    stages = program.stages.prefetch_related("level_dates")
    rows = []
    for stage in stages:
        own = next((d for d in stage.level_dates.all()
                    if level is not None and d.level_id == level.pk), None)
        start, end = (own.date, own.end_date) if own else (stage.date, stage.end_date)
        rows.append(StageOnTimeline(stage, start, end))
    return sorted(rows, key=lambda row: (row.start, row.stage.number))


def stage_open(*, program: Program, kind: str, today: dt.date,
               level: Level | None = None) -> bool:
    """Whether a stage of ``kind`` is open today. A programme without any stage of
    that kind does not gate it (always open)."""
    rows = [row for row in timeline(program=program, level=level) if row.kind == kind]
    return not rows or any(row.is_open(today) for row in rows)


def stage_window(*, program: Program, kind: str, level: Level | None = None
                 ) -> tuple[dt.date, dt.date] | None:
    """First start and last end of the stages of ``kind`` (None when there is none)."""
    rows = [row for row in timeline(program=program, level=level) if row.kind == kind]
    if not rows:
        return None
    return min(row.start for row in rows), max(row.end for row in rows)


def next_stage(*, program: Program, today: dt.date, level: Level | None = None
               ) -> StageOnTimeline | None:
    """The stage open today, else the next to open; None when the timeline is over."""
    for row in timeline(program=program, level=level):
        if row.end >= today:
            return row
    return None


def open_stages(*, program: Program, today: dt.date, level: Level | None = None
                ) -> list[StageOnTimeline]:
    return [row for row in timeline(program=program, level=level) if row.is_open(today)]


def qualification_for(*, program: Program, level: Level, agency: Agency
                      ) -> ProgramQualification | None:
    """The programme's qualification an official of ``agency`` is certified against:
    JPT Pratama BKN for BKN, JPT Pratama K/L & Daerah for every other agency, or the
    level's qualification for all agencies."""
    scope = QualificationScope.BKN if agency.kind == AgencyKind.BKN else QualificationScope.NON_BKN
    candidates = {q.scope: q for q in program.qualifications.filter(
        level=level, scope__in=[scope, QualificationScope.ALL])}
    return candidates.get(scope) or candidates.get(QualificationScope.ALL)


def upcoming_batches(*, program: Program, today: dt.date, limit: int = 5,
                     user: User | None = None) -> list[Batch]:
    """The next batches; for a user, only those they may see (their own, for staff)."""
    batches = program.batches.all() if user is None else batches_for(user).filter(program=program)
    return list(
        batches.select_related("level").filter(end_date__gte=today)
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
