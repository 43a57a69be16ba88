from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kompeten.common.models import StoredFile
from kompeten.common.storage import private_storage
from kompeten.programs.models import Agency, Program


class NominationLetter(models.Model):
    """Surat Usulan: the agency's signed nomination letter (PDF)."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="nomination_letters")
    number = models.CharField(_("nomor surat"), max_length=100)
    date = models.DateField(_("tanggal surat"))
    document = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["-uploaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["program", "agency"], condition=Q(is_current=True),
                                    name="one_current_nomination_letter"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.agency})"


class BulkRun(models.Model):
    """A bulk action on many nominations that runs in the background (see
    kompeten.nominations.bulk): what was asked, and the outcome per row as it goes."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(_("tindakan"), max_length=20)
    reason = models.TextField(_("alasan"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registration_ids = models.JSONField(default=list)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    # [[registration id, name, why it was not processed], ...]
    refused = models.JSONField(default=list)
    emails = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("tindakan massal")
        verbose_name_plural = _("tindakan massal")

    def __str__(self) -> str:
        return f"{self.action} × {self.total} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def processed(self) -> int:
        return self.done + len(self.refused)

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.processed / self.total)

    @property
    def is_active(self) -> bool:
        return self.finished_at is None


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Dalam antrean")
    RUNNING = "running", _("Sedang dibuat")
    DONE = "done", _("Siap diunduh")
    FAILED = "failed", _("Gagal")


class NominationExport(models.Model):
    """An Excel export of the nomination list too large to write inside a request
    (kompeten.nominations.exports): a background job writes it into private storage, and only
    the user who asked for it downloads it (an operator: their agency's rows only)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The operator's agency when asked (None: the organiser's export of every agency).
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+")
    query = models.CharField(_("saringan"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus.choices,
                              default=ExportStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    written = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/nominations/%Y/", max_length=300, blank=True,
                            storage=private_storage)
    filename = models.CharField(max_length=200)
    error = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("ekspor usulan")
        verbose_name_plural = _("ekspor usulan")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["queued", "running", "done",
                                                           "failed"]),
                                   name="nomination_export_status_known"),
            models.CheckConstraint(condition=~Q(status="done") | ~Q(file=""),
                                   name="nomination_export_done_has_file"),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE or not self.total:
            return 100 if self.status == ExportStatus.DONE else 0
        return min(99, round(100 * self.written / self.total))

    @property
    def is_active(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
