"""Dormitory master data: the organiser's rooms (add one, change one, add a series)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kompeten.dormitory import checks
from kompeten.dormitory.models import Room, RoomAssignment


@transaction.atomic
def create_rooms(*, building: str, count: int, capacity: int = 2,
                 first_number: int = 101) -> list[Room]:
    """Add rooms first_number .. first_number+count-1 to a building; existing ones are kept."""
    building = building.strip()
    if not building:
        raise ValidationError(_("Nama gedung wajib diisi."))
    if not 1 <= count <= 1000:
        raise ValidationError(_("Jumlah kamar harus antara 1 dan 1000."))
    if capacity < 1:
        raise ValidationError(_("Kapasitas kamar minimal 1 orang."))
    if first_number < 0:
        raise ValidationError(_("Nomor kamar pertama tidak boleh negatif."))
    numbers = [str(first_number + i) for i in range(count)]
    existing = set(Room.objects.filter(building=building, number__in=numbers)
                   .values_list("number", flat=True))
    created = Room.objects.bulk_create(
        Room(building=building, number=n, capacity=capacity) for n in numbers
        if n not in existing)
    if created:
        checks.rooms_changed()  # more free beds: who stays without a bed may have one now
    return created


@dataclass
class RoomSaved:
    room: Room
    overfull_nights: list[dt.date]   # nights with more people than the new capacity


@transaction.atomic
def save_room(*, room: Room | None = None, building: str, number: str, capacity: int,
              is_active: bool) -> RoomSaved:
    """Create or change a room. Lowering the capacity or closing a room keeps the
    existing assignments; the nights now over capacity are returned, to re-assign."""
    room = room or Room()
    room.building, room.number = building.strip(), number.strip()
    room.capacity, room.is_active = capacity, is_active
    room.full_clean()
    room.save()
    assignments = RoomAssignment.objects.filter(room=room).order_by()
    if not is_active:
        overfull = assignments.values_list("night", flat=True).distinct()
    else:
        overfull = assignments.filter(bed__gt=capacity).values_list("night", flat=True).distinct()
    checks.rooms_changed()
    return RoomSaved(room=room, overfull_nights=sorted(overfull))
