from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kompeten.batching.models import Placement


class Room(models.Model):
    """Kamar asrama."""

    building = models.CharField(_("gedung"), max_length=60)
    number = models.CharField(_("nomor kamar"), max_length=20)
    capacity = models.PositiveSmallIntegerField(_("kapasitas"), default=2)
    is_active = models.BooleanField(_("dipakai"), default=True)

    class Meta:
        ordering = ["building", "number"]
        verbose_name = _("kamar")
        verbose_name_plural = _("kamar")
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="room_unique"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="room_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.building} {self.number}"


class RoomAssignment(models.Model):
    """One participant in one bed of one room for one night."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="assignments")
    night = models.DateField(_("malam"))
    bed = models.PositiveSmallIntegerField(_("tempat tidur"))
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE,
                                  related_name="room_assignments")
    gender = models.CharField(_("jenis kelamin"), max_length=1)

    class Meta:
        ordering = ["night", "room", "bed"]
        constraints = [
            models.UniqueConstraint(fields=["room", "night", "bed"], name="bed_taken_once"),
            models.UniqueConstraint(fields=["placement", "night"], name="one_bed_per_night"),
            models.CheckConstraint(condition=Q(bed__gte=1), name="bed_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.room} {self.night} #{self.bed}"
