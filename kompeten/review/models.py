from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kompeten.registration.models import Registration


class Submission(models.Model):
    """A frozen copy of the file at each (re)submission, so reviews keep their context."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="submissions")
    number = models.PositiveSmallIntegerField(_("versi"))
    submitted_at = models.DateTimeField(_("dikirim pada"))
    snapshot = models.JSONField(_("isi berkas"))

    class Meta:
        ordering = ["registration", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "number"],
                                    name="submission_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.registration} v{self.number}"


class Decision(models.TextChoices):
    ACCEPT = "accept", _("Diterima")
    REVISE = "revise", _("Dikembalikan untuk perbaikan")
    REJECT = "reject", _("Ditolak")


class ReviewDecision(models.Model):
    """An organiser's decision on one submitted version of a participant's file."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="review_decisions")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT,
                                   related_name="decisions")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    decision = models.CharField(_("keputusan"), max_length=10, choices=Decision.choices)
    comment_profile = models.TextField(_("catatan profil"), blank=True)
    comment_work_history = models.TextField(_("catatan riwayat pekerjaan"), blank=True)
    comment_action_plan = models.TextField(_("catatan rencana tindak lanjut"), blank=True)
    comment_documents = models.TextField(_("catatan dokumen"), blank=True)
    reason = models.TextField(_("alasan"), blank=True)
    decided_at = models.DateTimeField(_("diputuskan pada"), auto_now_add=True)

    class Meta:
        ordering = ["registration", "-decided_at"]
        constraints = [
            # One decision per submitted version.
            models.UniqueConstraint(fields=["submission"], name="one_decision_per_submission"),
            models.CheckConstraint(
                condition=~models.Q(decision="reject") | ~models.Q(reason=""),
                name="reject_has_reason",
                violation_error_message=_("Penolakan wajib disertai alasan."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.registration}"
