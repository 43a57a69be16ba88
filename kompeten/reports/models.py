"""The reports app owns the data-rights records (UU PDP 27/2022): the programme's retention
period, the participants' correction requests, the erasures and the log of every export,
request and erasure. The reports themselves read other apps' tables and store nothing."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kompeten.common.storage import private_storage
from kompeten.programs.models import Program
from kompeten.registration.models import Registration

RETENTION_YEARS_DEFAULT = 5
CORRECTION_TEXT_MAX = 2000
NOTE_MAX = 500


class RetentionPolicy(models.Model):
    """How long after the programme's last batch the officials' personal data is kept."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE,
                                   related_name="retention_policy")
    retention_years = models.PositiveSmallIntegerField(
        _("masa retensi (tahun)"), default=RETENTION_YEARS_DEFAULT,
        help_text=_("Data pribadi peserta dapat dihapus setelah masa ini, dihitung dari "
                    "hari terakhir angkatan terakhir penyelenggaraan."))

    class Meta:
        verbose_name = _("ketentuan retensi data")
        verbose_name_plural = _("ketentuan retensi data")
        constraints = [models.CheckConstraint(
            condition=Q(retention_years__gte=1, retention_years__lte=30),
            name="retention_years_1_30")]

    def __str__(self) -> str:
        return f"{self.program}: {self.retention_years}"


class CorrectionStatus(models.TextChoices):
    OPEN = "open", _("Menunggu")
    DONE = "done", _("Sudah diperbaiki")
    REJECTED = "rejected", _("Ditolak")


class CorrectionRequest(models.Model):
    """A participant asks the organiser to correct their data (a row the organiser handles)."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="correction_requests")
    text = models.TextField(_("data yang perlu diperbaiki"), max_length=CORRECTION_TEXT_MAX)
    status = models.CharField(_("status"), max_length=10, choices=CorrectionStatus.choices,
                              default=CorrectionStatus.OPEN)
    created_at = models.DateTimeField(_("diajukan pada"))
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    handled_at = models.DateTimeField(_("ditangani pada"), null=True, blank=True)
    response = models.CharField(_("tanggapan"), max_length=NOTE_MAX, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("permintaan koreksi data")
        verbose_name_plural = _("permintaan koreksi data")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=CorrectionStatus.values),
                                   name="correction_status_valid"),
            models.CheckConstraint(
                condition=Q(status="open", handled_at__isnull=True)
                | Q(~Q(status="open"), handled_at__isnull=False),
                name="correction_handled_has_time"),
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(response=""),
                                   name="correction_rejection_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.status}"


class Erasure(models.Model):
    """A registration whose personal data was replaced by placeholders (once only)."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE,
                                        related_name="erasure")
    erased_at = models.DateTimeField(_("dihapus pada"))
    erased_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    files_removed = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("penghapusan data pribadi")
        verbose_name_plural = _("penghapusan data pribadi")

    def __str__(self) -> str:
        return f"{self.registration_id} {self.erased_at:%Y-%m-%d}"


class DataAction(models.TextChoices):
    EXPORT_JSON = "export_json", _("Unduh data (JSON)")
    EXPORT_PDF = "export_pdf", _("Unduh data (PDF)")
    CORRECTION = "correction", _("Permintaan koreksi")
    CORRECTION_HANDLED = "correction_handled", _("Koreksi ditangani")
    ERASE = "erase", _("Penghapusan data pribadi")
    ERASE_REFUSED = "erase_refused", _("Penghapusan ditolak")


class DataRightsLog(models.Model):
    """Who exported, asked for or erased whose data, when (the registration stays as an id
    after erasure: the log never holds the name)."""

    action = models.CharField(_("tindakan"), max_length=20, choices=DataAction.choices)
    registration = models.ForeignKey(Registration, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+")
    subject_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           related_name="+")
    at = models.DateTimeField(_("waktu"))
    note = models.CharField(_("catatan"), max_length=NOTE_MAX, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("log hak atas data")
        verbose_name_plural = _("log hak atas data")
        constraints = [models.CheckConstraint(condition=Q(action__in=DataAction.values),
                                              name="data_rights_action_valid")]

    def __str__(self) -> str:
        return f"{self.action} {self.registration_id} {self.at:%Y-%m-%d}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Dalam antrean")
    RUNNING = "running", _("Berjalan")
    FINISHED = "finished", _("Selesai")


class ReportExport(models.Model):
    """A report's Excel file written by a background job (nationally far more rows than a
    request can write), with its progress. The filters are stored as asked and resolved again
    for the user who asked, so an operator's file holds only their own agency's rows; only
    that user downloads it."""

    kind = models.CharField(_("laporan"), max_length=20)
    query = models.JSONField(default=dict, blank=True)
    agency = models.ForeignKey("programs.Agency", on_delete=models.CASCADE, null=True,
                               blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus.choices,
                              default=ExportStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    written = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="reports/exports/", max_length=300, blank=True,
                            storage=private_storage)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_by", "kind", "-created_at"],
                                name="report_export_user_kind")]
        constraints = [
            models.CheckConstraint(condition=Q(written__lte=F("total")),
                                   name="report_export_written_within_total"),
            models.CheckConstraint(condition=Q(status__in=["queued", "running", "finished"]),
                                   name="report_export_status_valid"),
            models.CheckConstraint(
                condition=Q(kind__in=["funnel", "competency", "units", "monev", "reaction"]),
                name="report_export_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.FINISHED:
            return 100
        return round(100 * self.written / self.total) if self.total else 0

    @property
    def is_active(self) -> bool:
        return self.status != ExportStatus.FINISHED


class SnapshotStatus(models.TextChoices):
    READY = "ready", _("Siap")
    QUEUED = "queued", _("Dalam antrean")
    RUNNING = "running", _("Dihitung")


class ReportSnapshot(models.Model):
    """A report's figures for one set of filters, computed by a background job when the
    filters cover more registrations than a request can aggregate (a whole national
    programme), then shown from here with the time they were computed. ``key`` is the
    resolved filters, the report's options and the language; ``query`` the parameters as
    asked, resolved again in the job for ``requested_by`` (an operator's scope included)."""

    kind = models.CharField(_("laporan"), max_length=20)
    key = models.CharField(max_length=64)
    language = models.CharField(max_length=10)
    query = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                     related_name="+")
    registrations = models.PositiveIntegerField(default=0)
    status = models.CharField(_("status"), max_length=10, choices=SnapshotStatus.choices,
                              default=SnapshotStatus.QUEUED)
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    data = models.JSONField(null=True, blank=True)
    computed_at = models.DateTimeField(_("data per"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="report_snapshot_unique_key"),
            models.CheckConstraint(condition=Q(status__in=["ready", "queued", "running"]),
                                   name="report_snapshot_status_valid"),
            models.CheckConstraint(
                condition=Q(kind__in=["funnel", "units", "monev", "reaction", "competency"]),
                name="report_snapshot_kind_valid"),
            models.CheckConstraint(
                condition=Q(data__isnull=True, computed_at__isnull=True)
                | Q(data__isnull=False, computed_at__isnull=False),
                name="report_snapshot_data_has_time"),
            models.CheckConstraint(condition=~Q(status="ready") | Q(data__isnull=False),
                                   name="report_snapshot_ready_has_data"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key[:8]} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status != SnapshotStatus.READY
