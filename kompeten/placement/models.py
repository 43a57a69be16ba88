from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kompeten.programs.models import Agency, Batch, Program
from kompeten.registration.models import Registration


class Topic(models.Model):
    """Rumpun: a theme shared by a case-study group (planning, procurement, ...)."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama rumpun"), max_length=150, unique=True)
    keywords = models.TextField(_("kata kunci"), blank=True,
                                help_text=_("Istilah tambahan yang menandai rumpun ini."))
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("rumpun")
        verbose_name_plural = _("rumpun")

    def __str__(self) -> str:
        return self.name


class Placement(models.Model):
    """An accepted participant's place: batch (or waiting list), group, dormitory stay."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE,
                                        related_name="placement")
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="placements", verbose_name=_("angkatan"))
    # Capacity is a database invariant: a placement takes a numbered seat of its batch.
    seat = models.PositiveSmallIntegerField(_("kursi"), null=True, blank=True)
    waiting_since = models.DateTimeField(_("masuk daftar tunggu"), null=True, blank=True)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="placements", verbose_name=_("rumpun"))
    suggested_topic = models.ForeignKey(Topic, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("usulan rumpun"))
    topic_terms = models.CharField(_("istilah yang cocok"), max_length=300, blank=True)
    stays_in_dorm = models.BooleanField(_("menginap di asrama"), default=True)
    is_manual = models.BooleanField(_("dipindah manual"), default=False)
    is_announced = models.BooleanField(_("sudah diumumkan"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("penempatan")
        verbose_name_plural = _("penempatan")
        constraints = [
            models.UniqueConstraint(fields=["batch", "seat"], name="batch_seat_taken_once"),
            models.CheckConstraint(condition=Q(batch__isnull=True, seat__isnull=True)
                                   | Q(batch__isnull=False, seat__gte=1),
                                   name="placed_has_seat_waiting_has_none"),
        ]
        indexes = [models.Index(fields=["batch", "topic"])]

    def __str__(self) -> str:
        return f"{self.registration} → {self.batch or _('daftar tunggu')}"


class AgencyDatePreference(models.Model):
    """An agency's wish: its officials attend batches between these dates."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    earliest = models.DateField(_("paling awal"))
    latest = models.DateField(_("paling akhir"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "agency"], name="one_preference_per_agency"),
            models.CheckConstraint(condition=Q(latest__gte=models.F("earliest")),
                                   name="preference_window_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.agency}: {self.earliest}–{self.latest}"


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


class Publication(models.Model):
    """The organiser published the class lists of a programme on the public page."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="publication")
    published_at = models.DateTimeField(_("diumumkan pada"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")

    def __str__(self) -> str:
        return f"{self.program} ({self.published_at:%Y-%m-%d})"
