from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kompeten.registration.models import Registration


class ActionPlan(models.Model):
    """Rencana tindak lanjut (RTL): a structured plan, not an upload."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE,
                                        related_name="action_plan")
    title = models.CharField(_("judul"), max_length=300)
    # Limits keep the printed plan within a few pages (the PDF prints every field in full).
    background = models.TextField(_("latar belakang"), max_length=3000,
                                  help_text=_("Satu butir per baris."))
    problem = models.TextField(_("pokok permasalahan"), max_length=2000)
    goals = models.TextField(_("tujuan"), max_length=2000, help_text=_("Satu butir per baris."))
    benefits = models.TextField(_("manfaat"), max_length=2000,
                                help_text=_("Satu butir per baris."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rencana tindak lanjut")
        verbose_name_plural = _("rencana tindak lanjut")

    def __str__(self) -> str:
        return self.title


class Horizon(models.TextChoices):
    SHORT = "short", _("Jangka pendek (≤3 bulan)")
    MEDIUM = "medium", _("Jangka menengah (≤6 bulan)")
    LONG = "long", _("Jangka panjang (≤12 bulan)")


class DurationUnit(models.TextChoices):
    DAY = "day", _("hari")
    WEEK = "week", _("minggu")
    MONTH = "month", _("bulan")


class Milestone(models.Model):
    """Langkah kerja: an activity in one horizon, placed on the plan's week timeline."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="milestones")
    horizon = models.CharField(_("jangka waktu"), max_length=10, choices=Horizon.choices)
    order = models.PositiveSmallIntegerField(_("urutan"))
    activity = models.CharField(_("kegiatan"), max_length=300)
    duration_value = models.PositiveSmallIntegerField(_("durasi"))
    duration_unit = models.CharField(_("satuan durasi"), max_length=10,
                                     choices=DurationUnit.choices)
    start_week = models.PositiveSmallIntegerField(_("mulai minggu ke-"))
    end_week = models.PositiveSmallIntegerField(_("selesai minggu ke-"))
    output = models.CharField(_("target capaian/output"), max_length=300)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("langkah kerja")
        verbose_name_plural = _("langkah kerja")
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="milestone_order_unique"),
            models.CheckConstraint(condition=Q(duration_value__gte=1),
                                   name="milestone_duration_positive"),
            models.CheckConstraint(condition=Q(start_week__gte=1),
                                   name="milestone_start_week_positive"),
            models.CheckConstraint(condition=Q(end_week__gte=models.F("start_week")),
                                   name="milestone_end_after_start"),
            # A milestone ends within its horizon: 13, 26 or 52 weeks from the plan's start.
            models.CheckConstraint(
                condition=Q(horizon="short", end_week__lte=13)
                | Q(horizon="medium", end_week__lte=26)
                | Q(horizon="long", end_week__lte=52),
                name="milestone_within_horizon",
            ),
        ]

    def __str__(self) -> str:
        return self.activity
