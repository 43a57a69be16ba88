from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kompeten.programs.models import Agency, Batch, Program
from kompeten.registration.models import Registration


class Placement(models.Model):
    """An accepted participant's place: a batch seat or the waiting list (and whether they stay in
    the dormitory; rumpun and dormitory keep the rest of it in their own tables)."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE,
                                        related_name="placement")
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="placements", verbose_name=_("angkatan"))
    # Capacity is a database invariant: a placement takes a numbered seat of its batch.
    seat = models.PositiveSmallIntegerField(_("kursi"), null=True, blank=True)
    waiting_since = models.DateTimeField(_("masuk daftar tunggu"), null=True, blank=True)
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


class PlacementCheck(models.Model):
    """The stored result of kompeten.batching.checker.check_program for one programme.

    The whole-programme check reads every registration and placement (seconds at 100,000), so
    the overview never runs it on a GET: every change of the placements bumps ``revision``
    (kompeten.batching.services.note_placements_changed) and queues a background refresh that
    stores the counts here with the revision it describes. The overview shows the stored
    result, and says so when it is older than the placements (or the batches)."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, primary_key=True,
                                   related_name="+")
    revision = models.PositiveIntegerField(default=0)
    checked_revision = models.PositiveIntegerField(null=True, blank=True)
    # the programme's batches when checked ("count:last update"): a batch edited since makes
    # the result stale too (the programmes app does not know this table)
    batches_stamp = models.CharField(max_length=80, blank=True)
    counts = models.JSONField(default=dict)
    placed = models.PositiveIntegerField(default=0)
    waiting = models.PositiveIntegerField(default=0)
    with_preference = models.PositiveIntegerField(default=0)
    preference_possible = models.PositiveIntegerField(default=0)
    preference_honoured = models.PositiveIntegerField(default=0)
    # {level id: {"placed": n, "waiting": n, "unplaced": n}} for the overview's level sums
    levels = models.JSONField(default=dict)
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("hasil pemeriksaan penempatan")
        verbose_name_plural = _("hasil pemeriksaan penempatan")

    def __str__(self) -> str:
        return f"{self.program_id}: r{self.checked_revision}/{self.revision}"
