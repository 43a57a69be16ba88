"""Decisions per unit (versioned, signed, never edited once signed), their audit trail,
appeals and the sidang penetapan that locks and releases a batch's results."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kompeten.programs.models import Batch, ProgramUnit
from kompeten.registration.models import Registration


class Verdict(models.TextChoices):
    K = "K", _("Kompeten (K)")
    BK = "BK", _("Belum kompeten (BK)")


class Decision(models.Model):
    """One version of the decision on one unit. The highest version is the current one; a
    signed version is final (a database trigger refuses any update of it), so a
    correction or an appeal's outcome is a new version."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="unit_decisions")
    unit = models.ForeignKey(ProgramUnit, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit kompetensi"))
    version = models.PositiveSmallIntegerField(_("versi"))
    verdict = models.CharField(_("keputusan"), max_length=2, choices=Verdict.choices)
    note = models.TextField(_("catatan asesor"), max_length=2000, blank=True)
    feedback = models.TextField(_("umpan balik untuk peserta"), max_length=2000, blank=True)
    reason = models.CharField(_("alasan perubahan"), max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("asesor"))
    created_at = models.DateTimeField(auto_now_add=True)
    signed_at = models.DateTimeField(_("ditandatangani pada"), null=True, blank=True)
    # SHA-256 of what was signed (participant, unit, version, verdict, texts, signer, time),
    # so a printed or exported record can be checked against the database.
    content_hash = models.CharField(_("sidik isi"), max_length=64, blank=True)
    appeal = models.ForeignKey("assessment.Appeal", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+")

    class Meta:
        ordering = ["registration", "unit__order", "version"]
        verbose_name = _("keputusan unit")
        verbose_name_plural = _("keputusan unit")
        constraints = [
            models.UniqueConstraint(fields=["registration", "unit", "version"],
                                    name="decision_version_unique"),
            models.CheckConstraint(condition=Q(verdict__in=Verdict.values),
                                   name="decision_verdict_valid"),
            models.CheckConstraint(condition=Q(version__gte=1), name="decision_version_positive"),
            # A correction (version 2 on) always says why.
            models.CheckConstraint(condition=Q(version=1) | ~Q(reason=""),
                                   name="decision_correction_has_reason"),
            models.CheckConstraint(condition=Q(signed_at__isnull=False) | Q(content_hash=""),
                                   name="decision_draft_has_no_hash"),
            # An appeal's outcome is signed when it is made.
            models.CheckConstraint(condition=Q(appeal__isnull=True) | Q(signed_at__isnull=False),
                                   name="decision_appeal_outcome_signed"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id}/{self.unit_id} v{self.version} {self.verdict}"


class LogAction(models.TextChoices):
    DRAFT = "draft", _("Draf keputusan")
    SIGN = "sign", _("Ditandatangani")
    CORRECT = "correct", _("Koreksi")
    APPEAL = "appeal", _("Banding diajukan")
    PANEL = "panel", _("Putusan banding")


class DecisionLog(models.Model):
    """Audit trail: every change of a unit's decision (who, when, before, after)."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="decision_log")
    unit = models.ForeignKey(ProgramUnit, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=10, choices=LogAction.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["registration", "unit"])]
        constraints = [models.CheckConstraint(condition=Q(action__in=LogAction.values),
                                              name="decision_log_action_valid")]

    def __str__(self) -> str:
        return f"{self.registration_id}/{self.unit_id} {self.action}"


class Appeal(models.Model):
    """AK.04 banding against a released BK; decided by a panel that is never the assessor
    whose decision is appealed."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="appeals")
    unit = models.ForeignKey(ProgramUnit, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit kompetensi"))
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="appeals")
    first_assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                       related_name="+")
    reason = models.TextField(_("alasan banding"), max_length=2000)
    filed_at = models.DateTimeField(_("diajukan pada"))
    panel = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="appeal_panels",
                              verbose_name=_("panel banding"))
    outcome = models.CharField(_("putusan"), max_length=2, blank=True,
                               choices=Verdict.choices)
    decided_at = models.DateTimeField(_("diputus pada"), null=True, blank=True)

    class Meta:
        ordering = ["filed_at", "pk"]
        verbose_name = _("banding")
        verbose_name_plural = _("banding")
        constraints = [
            models.UniqueConstraint(fields=["registration", "unit"],
                                    name="appeal_once_per_unit",
                                    violation_error_message=_(
                                        "Banding untuk unit ini sudah diajukan.")),
            models.CheckConstraint(condition=Q(panel__isnull=True)
                                   | ~Q(panel=F("first_assessor")),
                                   name="appeal_panel_not_first_assessor"),
            models.CheckConstraint(condition=Q(outcome="", decided_at__isnull=True)
                                   | Q(outcome__in=Verdict.values, decided_at__isnull=False,
                                       panel__isnull=False),
                                   name="appeal_outcome_consistent"),
        ]

    def __str__(self) -> str:
        return f"Banding {self.registration_id}/{self.unit_id}"


class Sidang(models.Model):
    """Sidang penetapan of one batch: fixes and releases its results."""

    batch = models.OneToOneField(Batch, on_delete=models.PROTECT, related_name="sidang")
    held_on = models.DateField(_("tanggal sidang"))
    decree_number = models.CharField(_("nomor SK"), max_length=100)
    panel_members = models.TextField(_("anggota panel"), max_length=1000,
                                     help_text=_("Satu nama per baris."))
    locked_at = models.DateTimeField(_("ditetapkan pada"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("sidang penetapan")
        verbose_name_plural = _("sidang penetapan")
        constraints = [models.CheckConstraint(condition=~Q(decree_number=""),
                                              name="sidang_decree_number_required")]

    def __str__(self) -> str:
        return f"{self.batch}: {self.decree_number}"

    @property
    def members(self) -> list[str]:
        return [line.strip() for line in self.panel_members.splitlines() if line.strip()]
