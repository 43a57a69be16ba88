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
        # one night's beds (the night page, its PDF, the checks of a few nights)
        indexes = [models.Index(fields=["night", "room"], name="room_assignment_night")]

    def __str__(self) -> str:
        return f"{self.room} {self.night} #{self.bed}"


class RoomCheck(models.Model):
    """The stored result of the room checker for one programme (kompeten.dormitory.checks).

    Computed when rooms or assignments change, never on a GET: a change to a few nights
    checks those nights again at once; a whole-programme change (assigning all rooms, a
    room changed) marks the result stale and a background job computes it again.
    ``version`` counts the changes; the result is current when ``checked_version`` equals it.
    """

    program = models.OneToOneField("programs.Program", on_delete=models.CASCADE,
                                   related_name="room_check")
    counts = models.JSONField(_("pelanggaran per aturan"), default=dict)
    computed_at = models.DateTimeField(_("dihitung pada"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    checked_version = models.PositiveIntegerField(default=0)
    queued_at = models.DateTimeField(_("antre dihitung sejak"), null=True, blank=True)
    # batching's PlacementCheck.revision when this result was computed: a placement moved by
    # batching (which cannot call the dormitory) since then makes the result stale too
    placements_revision = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("pemeriksaan kamar")
        verbose_name_plural = _("pemeriksaan kamar")

    def __str__(self) -> str:
        return f"{self.program} {self.computed_at}"

    @property
    def is_current(self) -> bool:
        return self.computed_at is not None and self.version == self.checked_version

    @property
    def problems(self) -> int:
        return sum(self.counts.values())


class RoomCheckNight(models.Model):
    """A night of the programme on which the room checker found something (sound nights
    have no row)."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE,
                                related_name="room_check_nights")
    night = models.DateField(_("malam"))
    counts = models.JSONField(_("pelanggaran per aturan"), default=dict)
    problems = models.PositiveIntegerField(_("jumlah pelanggaran"), default=0)

    class Meta:
        ordering = ["night"]
        constraints = [
            models.UniqueConstraint(fields=["program", "night"], name="room_check_night_once"),
        ]

    def __str__(self) -> str:
        return f"{self.program} {self.night}: {self.problems}"
