"""Riwayat pekerjaan: the participant's structured work history (CV)."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kompeten.access.rules import can
from kompeten.accounts.models import User
from kompeten.participants.models import WorkHistoryEntry
from kompeten.registration.models import EDITABLE_STATUSES, Registration

# Civil servants are appointed at 18 at the earliest.
MIN_AGE_AT_START = 18


@dataclass(frozen=True)
class Position:
    """What the participant enters for one position held."""

    position: str
    unit: str
    start_date: dt.date | None
    end_date: dt.date | None = None
    duties: str = ""


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def check_position(*, registration: Registration, entry: Position,
                   today: dt.date | None = None) -> dict:
    """Validate and tidy one entry; raises ValidationError keyed by field."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    fields = {"position": " ".join(entry.position.split()), "unit": " ".join(entry.unit.split()),
              "start_date": entry.start_date, "end_date": entry.end_date,
              "duties": entry.duties.strip()}
    if not fields["position"]:
        errors["position"] = [_("Jabatan wajib diisi.")]
    if not fields["unit"]:
        errors["unit"] = [_("Unit kerja wajib diisi.")]
    start, end = entry.start_date, entry.end_date
    if start is None:
        errors["start_date"] = [_("Tanggal mulai wajib diisi.")]
    elif start > today:
        errors["start_date"] = [_("Tanggal mulai tidak boleh di masa depan.")]
    elif start < _years_after(registration.birth_date, MIN_AGE_AT_START):
        errors["start_date"] = [
            _("Tanggal mulai %(start)s sebelum Anda berusia %(age)s tahun (lahir %(birth)s).")
            % {"start": date_format(start), "age": MIN_AGE_AT_START,
               "birth": date_format(registration.birth_date)}]
    if end is not None:
        if end > today:
            errors["end_date"] = [_("Tanggal selesai tidak boleh di masa depan; kosongkan bila "
                                    "masih menjabat.")]
        elif start is not None and end < start:
            errors["end_date"] = [_("Tanggal selesai tidak boleh sebelum tanggal mulai.")]
    if errors:
        raise ValidationError(errors)
    return fields


def _check_may_edit(*, registration: Registration, by: User) -> None:
    if not can(by, "registration.edit", registration):
        raise PermissionDenied
    if registration.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("Riwayat pekerjaan tidak dapat diubah lagi (status: %(status)s).")
            % {"status": registration.get_status_display()}, code="locked")


def can_edit_work_history(registration: Registration) -> bool:
    return registration.status in EDITABLE_STATUSES


@transaction.atomic
def add_work_history_entry(*, registration: Registration, entry: Position, by: User,
                           today: dt.date | None = None) -> WorkHistoryEntry:
    _check_may_edit(registration=registration, by=by)
    fields = check_position(registration=registration, entry=entry, today=today)
    return WorkHistoryEntry.objects.create(registration=registration, **fields)


@transaction.atomic
def update_work_history_entry(*, item: WorkHistoryEntry, entry: Position, by: User,
                              today: dt.date | None = None) -> WorkHistoryEntry:
    registration = item.registration
    _check_may_edit(registration=registration, by=by)
    fields = check_position(registration=registration, entry=entry, today=today)
    for name, value in fields.items():
        setattr(item, name, value)
    item.save(update_fields=list(fields))
    return item


@transaction.atomic
def delete_work_history_entry(*, item: WorkHistoryEntry, by: User) -> None:
    _check_may_edit(registration=item.registration, by=by)
    item.delete()
