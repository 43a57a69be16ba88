"""The database queue of background jobs, used when no Celery broker is configured."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BackgroundJobStatus(models.TextChoices):
    QUEUED = "queued", _("Dalam antrean")
    RUNNING = "running", _("Berjalan")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class BackgroundJob(models.Model):
    """One call of a task (a Celery task's dotted name and its keyword arguments) that the
    `run_jobs` worker executes outside any request."""

    task = models.CharField(_("tugas"), max_length=200)
    kwargs = models.JSONField(_("argumen"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=BackgroundJobStatus.choices,
                              default=BackgroundJobStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    run_after = models.DateTimeField(_("dijalankan mulai"), default=timezone.now)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    error = models.TextField(_("galat"), blank=True)

    class Meta:
        # Lives in `core` until `common` becomes an app of its own (restructuring, issue 7.3).
        app_label = "core"
        ordering = ["run_after", "pk"]
        verbose_name = _("tugas latar belakang")
        verbose_name_plural = _("tugas latar belakang")
        indexes = [models.Index(fields=["status", "run_after"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="background_job_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk} ({self.status})"
