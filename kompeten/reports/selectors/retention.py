"""When a programme's personal data may be erased: its retention period (RetentionPolicy,
default five years) after the last day of its last batch (or of its timeline)."""

import datetime as dt

from django.db.models import Max

from kompeten.programs.models import Program
from kompeten.reports.models import RETENTION_YEARS_DEFAULT, RetentionPolicy


def retention_years(program: Program) -> int:
    policy = RetentionPolicy.objects.filter(program=program).first()
    return policy.retention_years if policy else RETENTION_YEARS_DEFAULT


def programme_end(program: Program) -> dt.date:
    end = (program.batches.aggregate(end=Max("end_date"))["end"]
           or program.stages.aggregate(end=Max("end_date"))["end"])
    return end or dt.date(program.year, 12, 31)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def erasable_from(program: Program) -> dt.date:
    return _add_years(programme_end(program), retention_years(program)) + dt.timedelta(days=1)
