"""Shared plumbing models: privately stored uploads and the database queue of background jobs
(used when no Celery broker is configured)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompeten.common.storage import private_storage


class StoredFile(models.Model):
    """An uploaded file, checked by content and stored privately (never served directly)."""

    file = models.FileField(upload_to="uploads/%Y/%m/", max_length=300, storage=private_storage)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class BackgroundJobStatus(models.TextChoices):
    QUEUED = "queued", _("Dalam antrean")
    RUNNING = "running", _("Berjalan")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")
    CANCELLED = "cancelled", _("Dibatalkan")


class BackgroundJob(models.Model):
    """One call of a task (a Celery task's dotted name and its keyword arguments), run outside
    any request by the `run_jobs` worker or a Celery worker. The row is the truth about the
    job: a worker claims it (queued → running, with a claim token) before running it, writes a
    heartbeat while it runs, and the reaper queues it again when the heartbeat stops
    (kompeten/common/jobs.py)."""

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
    # Who runs it now ("host:pid:random"); a finished run only records its end with its token.
    claim_token = models.CharField(_("klaim"), max_length=100, blank=True)
    heartbeat_at = models.DateTimeField(_("tanda hidup"), null=True, blank=True)
    # When it was last handed to Celery (the reaper hands a lost one over again).
    dispatched_at = models.DateTimeField(_("diserahkan"), null=True, blank=True)

    class Meta:
        ordering = ["run_after", "pk"]
        verbose_name = _("tugas latar belakang")
        verbose_name_plural = _("tugas latar belakang")
        indexes = [models.Index(fields=["status", "run_after"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed", "cancelled"]),
                name="background_job_status_valid"),
            models.CheckConstraint(
                condition=~Q(status="running") | (Q(heartbeat_at__isnull=False)
                                                  & ~Q(claim_token="")),
                name="background_job_running_is_claimed"),
        ]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk} ({self.status})"


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("Dalam antrean")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")


class OutgoingMail(models.Model):
    """One e-mail the system sends (the outbox): queued with the change that causes it, marked
    sending before it goes to the mail server and sent after, so that a failure is visible
    (and can be sent again) instead of lost, and a repeated job never sends it twice. The key
    is unique: a bulk job gives each of its mails a key of its own (e.g. "reminder:4:17"), so
    that running the job again finds the mail already queued."""

    subject = models.CharField(_("perihal"), max_length=300)
    body = models.TextField(_("isi"))
    key = models.CharField(_("kunci"), max_length=200, unique=True, null=True, blank=True)
    # An HTML alternative where a table helps (the text/plain body is always sent).
    html_body = models.TextField("HTML", blank=True, default="")
    to = models.JSONField(_("kepada"), default=list)
    reply_to = models.JSONField(_("balas ke"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=MailStatus.choices,
                              default=MailStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    error = models.TextField(_("galat"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    # When a worker took it to send (status "sending"); stale after JOB_STALE_SECONDS.
    claimed_at = models.DateTimeField(_("mulai dikirim"), null=True, blank=True)
    sent_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("e-mail keluar")
        verbose_name_plural = _("e-mail keluar")
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sending", "sent", "failed"]),
                name="outgoing_mail_status_valid"),
            models.CheckConstraint(condition=~Q(status="sending") | Q(claimed_at__isnull=False),
                                   name="outgoing_mail_sending_is_claimed"),
            models.CheckConstraint(condition=~Q(status="sent") | Q(sent_at__isnull=False),
                                   name="outgoing_mail_sent_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)} ({self.status})"


class ContentVersion(models.Model):
    """A token that changes whenever what a cached page shows changes (kompeten/common/
    pagecache.py): writes set a new random token (in their own transaction, so it commits with
    them); a cached page is keyed by the token it was rendered under. Random, not a counter,
    so a rolled-back write (or test) can never bring back a token already used for a page."""

    key = models.CharField(_("kunci"), max_length=40, primary_key=True)
    token = models.CharField(_("token"), max_length=32)

    class Meta:
        verbose_name = _("versi konten")
        verbose_name_plural = _("versi konten")

    def __str__(self) -> str:
        return f"{self.key}: {self.token}"
