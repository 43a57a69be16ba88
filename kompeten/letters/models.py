from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kompeten.common.storage import private_storage
from kompeten.letters import defaults
from kompeten.programs.models import Agency, Program


class LetterSettings(models.Model):
    """How a programme's announcement letters are numbered and worded (one per programme)."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE,
                                   related_name="letter_settings",
                                   verbose_name=_("penyelenggaraan"))
    number_format = models.CharField(
        _("format nomor surat"), max_length=120, default=defaults.NUMBER_FORMAT,
        help_text=_("Penanda: {seq} nomor urut (wajib; {seq:03d} untuk 001), {month_roman} "
                    "bulan Romawi, {month} bulan, {year} tahun — dari tanggal surat."))
    next_seq = models.PositiveIntegerField(
        _("nomor urut berikutnya"), default=1,
        help_text=_("Nomor urut yang dipakai untuk surat berikutnya (sesuai buku agenda TU)."))
    place = models.CharField(_("tempat surat"), max_length=60, default=defaults.PLACE)
    letter_date = models.DateField(_("tanggal surat"))
    subject = models.CharField(_("perihal"), max_length=200, default=defaults.SUBJECT)
    attachment = models.CharField(_("lampiran"), max_length=60, default=defaults.ATTACHMENT)
    letterhead_address = models.CharField(
        _("baris alamat kop surat"), max_length=200, blank=True,
        default=defaults.LETTERHEAD_ADDRESS)
    addressee_central = models.CharField(
        _("tujuan surat untuk K/L dan BKN"), max_length=200,
        default=defaults.ADDRESSEE_CENTRAL, help_text=_("Penanda: {agency} nama instansi."))
    addressee_regional = models.CharField(
        _("tujuan surat untuk instansi daerah"), max_length=200,
        default=defaults.ADDRESSEE_REGIONAL, help_text=_("Penanda: {agency} nama instansi."))
    # Limits keep a letter to a few pages: the PDF prints all of this text.
    body = models.TextField(
        _("isi surat"), max_length=6000, default=defaults.BODY,
        help_text=_("Pisahkan paragraf dengan satu baris kosong. Penanda: {program}, {year}, "
                    "{participants}, {levels}, {days}, {batches}, {site}, {nomination_url}."))
    tembusan = models.TextField(_("tembusan"), max_length=1000, blank=True,
                                default=defaults.TEMBUSAN,
                                help_text=_("Satu tembusan per baris."))
    notes = models.TextField(_("catatan"), max_length=3000, blank=True,
                             default=defaults.CATATAN,
                             help_text=_("Satu catatan per baris."))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("pengaturan surat pemberitahuan")
        verbose_name_plural = _("pengaturan surat pemberitahuan")
        constraints = [
            models.CheckConstraint(condition=Q(next_seq__gte=1), name="letter_next_seq_positive",
                                   violation_error_message=_("Nomor urut minimal 1.")),
        ]

    def __str__(self) -> str:
        return f"Surat pemberitahuan {self.program.year}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Dalam antrean")
    RUNNING = "running", _("Sedang mengirim")
    FINISHED = "finished", _("Selesai")
    CANCELLED = "cancelled", _("Dibatalkan")


ACTIVE_JOB_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class SendScope(models.TextChoices):
    UNSENT = "unsent", _("Instansi yang belum menerima surat (termasuk yang gagal)")
    ALL = "all", _("Semua instansi (yang sudah menerima dikirimi ulang)")


class SendJob(models.Model):
    """One run of "send the letters by e-mail", with its progress."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="letter_jobs",
                                verbose_name=_("penyelenggaraan"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    scope = models.CharField(_("sasaran"), max_length=10, choices=SendScope.choices,
                             default=SendScope.UNSENT)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices,
                              default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(_("jumlah surat"), default=0)
    sent = models.PositiveIntegerField(_("terkirim"), default=0)
    failed = models.PositiveIntegerField(_("gagal"), default=0)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pengiriman surat")
        verbose_name_plural = _("pengiriman surat")
        constraints = [
            # At most one job of a programme queued or running at a time.
            models.UniqueConstraint(fields=["program"], condition=Q(status__in=["queued",
                                                                                "running"]),
                                    name="one_active_letter_job_per_program"),
            models.CheckConstraint(condition=Q(sent__lte=F("total") - F("failed")),
                                   name="letter_job_counts_within_total"),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "finished", "cancelled"]),
                name="letter_job_status_valid"),
        ]

    def __str__(self) -> str:
        return f"Pengiriman {self.pk} ({self.program.year})"

    @property
    def done(self) -> int:
        return self.sent + self.failed

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_JOB_STATUSES


class LetterStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu dikirim")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal dikirim")


class AnnouncementLetter(models.Model):
    """One agency's announcement letter of a programme. Its number is assigned once."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT,
                                related_name="announcement_letters",
                                verbose_name=_("penyelenggaraan"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT,
                               related_name="announcement_letters", verbose_name=_("instansi"))
    seq = models.PositiveIntegerField(_("nomor urut"))
    number = models.CharField(_("nomor surat"), max_length=150)
    date = models.DateField(_("tanggal surat"))
    status = models.CharField(_("status"), max_length=10, choices=LetterStatus.choices,
                              default=LetterStatus.PENDING)
    sent_at = models.DateTimeField(_("dikirim pada"), null=True, blank=True)
    sent_to = models.EmailField(_("dikirim ke"), blank=True)
    error = models.CharField(_("keterangan gagal"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan kirim"), default=0)
    job = models.ForeignKey(SendJob, on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="letters")
    # A run claims the letter (pending → sending) before drawing it, notes when it hands the
    # e-mail to the mail server, and records sent/failed after (services.deliver_letter).
    claimed_at = models.DateTimeField(null=True, blank=True)
    mail_started_at = models.DateTimeField(null=True, blank=True)
    # The PDF exactly as last e-mailed (private storage, a new name per sending; earlier
    # versions stay stored). Streamed by a scoped view, never drawn again.
    pdf = models.FileField(upload_to="letters/%Y/", max_length=300, blank=True,
                           storage=private_storage)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "seq"]
        verbose_name = _("surat pemberitahuan")
        verbose_name_plural = _("surat pemberitahuan")
        constraints = [
            models.UniqueConstraint(fields=["program", "agency"], name="one_letter_per_agency",
                                    violation_error_message=_("Instansi ini sudah mempunyai "
                                                              "surat pemberitahuan.")),
            models.UniqueConstraint(fields=["program", "seq"], name="letter_seq_unique",
                                    violation_error_message=_("Nomor urut sudah dipakai.")),
            models.UniqueConstraint(fields=["program", "number"], name="letter_number_unique",
                                    violation_error_message=_("Nomor surat sudah dipakai.")),
            models.CheckConstraint(condition=Q(seq__gte=1), name="letter_seq_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "sent", "failed"]),
                name="letter_status_valid"),
            models.CheckConstraint(condition=~Q(status="sending") | Q(claimed_at__isnull=False),
                                   name="sending_letter_is_claimed"),
            models.CheckConstraint(condition=~Q(status="sent") | Q(sent_at__isnull=False),
                                   name="sent_letter_has_sent_at"),
        ]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return f"{self.number} ({self.agency})"
