"""Attendance marks, the organiser's corrections, the signed sheets, the acknowledgement of
the rules of conduct and the reaction evaluation."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kompeten.classroom.session_models import ClassSession, Facilitator
from kompeten.common.models import StoredFile
from kompeten.programs.models import Batch, Program
from kompeten.registration.models import Registration


class MarkStatus(models.TextChoices):
    PRESENT = "present", _("Hadir")
    LATE = "late", _("Terlambat")
    EXCUSED = "excused", _("Izin")
    ABSENT = "absent", _("Tidak hadir")


ATTENDED = (MarkStatus.PRESENT, MarkStatus.LATE)


class MarkSource(models.TextChoices):
    QR = "qr", _("Pindai QR")
    ROLL_CALL = "roll_call", _("Presensi fasilitator")
    CORRECTION = "correction", _("Koreksi penyelenggara")


class AttendanceMark(models.Model):
    """One participant's presence in one session (one row, whoever marked it)."""

    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="marks")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="attendance_marks")
    status = models.CharField(_("status"), max_length=10, choices=MarkStatus.choices)
    reason = models.CharField(_("alasan"), max_length=250, blank=True)
    source = models.CharField(_("sumber"), max_length=12, choices=MarkSource.choices)
    # The roll-call page's id of the last mark applied: a re-sent mark changes nothing.
    client_id = models.UUIDField(null=True, blank=True, unique=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, related_name="+")
    marked_at = models.DateTimeField(_("dicatat pada"))

    class Meta:
        ordering = ["session", "registration__plain_name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "registration"],
                                    name="one_mark_per_session_participant"),
            models.CheckConstraint(condition=~Q(status="excused") | ~Q(reason=""),
                                   name="excused_mark_has_reason",
                                   violation_error_message=_("Izin wajib disertai alasan.")),
        ]

    def __str__(self) -> str:
        return f"{self.registration} @ {self.session}: {self.status}"


class MarkCorrection(models.Model):
    """The organiser changed a mark afterwards (the log of who, when, from what, why)."""

    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE,
                                related_name="corrections")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    old_status = models.CharField(max_length=10, choices=MarkStatus.choices, blank=True)
    new_status = models.CharField(max_length=10, choices=MarkStatus.choices)
    note = models.CharField(_("alasan koreksi"), max_length=250)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.registration_id}@{self.session_id}: {self.old_status}→{self.new_status}"


class SignedSheet(models.Model):
    """The printed daftar hadir of one day, signed and scanned back as evidence."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="signed_sheets")
    day = models.DateField(_("tanggal"))
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["batch", "day", "-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.batch} {self.day}"


class ConductAcknowledgement(models.Model):
    """The participant read the tata tertib and agreed to them."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE,
                                        related_name="conduct_acknowledgement")
    acknowledged_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.registration_id} {self.acknowledged_at:%Y-%m-%d}"


class EvaluationSubmission(models.Model):
    """That a participant has evaluated their batch (so once only); the ratings themselves
    carry no link to the participant."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE,
                                        related_name="evaluation_submission")
    submitted_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.registration_id} {self.submitted_at:%Y-%m-%d}"


class EvaluationRating(models.Model):
    """One anonymous Likert answer: a session's facilitator, or the organisation (no
    facilitator)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="ratings")
    session = models.ForeignKey(ClassSession, on_delete=models.SET_NULL, null=True,
                                related_name="+")
    facilitator = models.ForeignKey(Facilitator, on_delete=models.PROTECT, null=True,
                                    related_name="ratings")
    score = models.PositiveSmallIntegerField(_("nilai"))
    comment = models.TextField(_("komentar"), blank=True, max_length=2000)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(score__gte=1, score__lte=5),
                                              name="rating_likert_1_5")]

    def __str__(self) -> str:
        return f"{self.facilitator_id or 'org'}: {self.score}"
