"""E-learning (stage 6, 3 JP): materials per module, what each participant studied, the
resume per module and the discussion forum per batch and module."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kompeten.common.models import StoredFile
from kompeten.programs.models import Batch, ProgramModule
from kompeten.registration.models import Registration

TITLE_MAX = 200
URL_MAX = 500
POST_MAX = 5000
RESUME_TEXT_MAX = 20000
COMMENT_MAX = 1000
REASON_MAX = 300


class MaterialKind(models.TextChoices):
    FILE = "file", _("Berkas")
    LINK = "link", _("Tautan (video)")


class Material(models.Model):
    """One material of a module; its content lives in numbered versions."""

    module = models.ForeignKey(ProgramModule, on_delete=models.CASCADE,
                               related_name="materials", verbose_name=_("modul"))
    title = models.CharField(_("judul materi"), max_length=TITLE_MAX)
    kind = models.CharField(_("jenis"), max_length=10, choices=MaterialKind.choices)
    order = models.PositiveSmallIntegerField(_("urutan"), default=1)
    is_active = models.BooleanField(_("ditampilkan"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["module", "order", "pk"]
        verbose_name = _("materi")
        verbose_name_plural = _("materi")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["file", "link"]),
                                   name="material_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.title


class MaterialVersion(models.Model):
    """A file or a link; a new version is added, never written over the old one."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("versi"))
    stored = models.ForeignKey(StoredFile, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    url = models.URLField(_("tautan"), max_length=URL_MAX, blank=True)
    note = models.CharField(_("catatan perubahan"), max_length=REASON_MAX, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["material", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["material", "number"],
                                    name="material_version_number_unique"),
            models.CheckConstraint(
                condition=(Q(stored__isnull=False, url="") | Q(stored__isnull=True) & ~Q(url="")),
                name="material_version_file_xor_link"),
        ]

    def __str__(self) -> str:
        return f"{self.material} v{self.number}"


class MaterialDownload(models.Model):
    """A participant opened (downloaded) one version: the first time, and how often."""

    version = models.ForeignKey(MaterialVersion, on_delete=models.CASCADE, related_name="+")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    first_at = models.DateTimeField(auto_now_add=True)
    count = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "registration"],
                                    name="material_download_once_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} ↓ {self.version_id}"


class StudyMark(models.Model):
    """'I studied this' for one version of a material (old versions keep their marks)."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(MaterialVersion, on_delete=models.CASCADE, related_name="+")
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registration", "version"],
                                    name="study_mark_once_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} ✓ {self.version_id}"


class ResumeStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Menunggu dibaca")
    ACCEPTED = "accepted", _("Diterima")
    RETURNED = "returned", _("Dikembalikan")


class Resume(models.Model):
    """A participant's resume of one module: a file (PDF/DOCX) or typed text. A new one
    replaces the current one; earlier ones stay as history."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="resumes")
    module = models.ForeignKey(ProgramModule, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("resume"), max_length=RESUME_TEXT_MAX, blank=True)
    stored = models.ForeignKey(StoredFile, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=ResumeStatus.choices,
                              default=ResumeStatus.SUBMITTED)
    is_current = models.BooleanField(default=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    comment = models.CharField(_("komentar fasilitator"), max_length=COMMENT_MAX, blank=True)

    class Meta:
        ordering = ["module__order", "-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "module"],
                                    condition=Q(is_current=True),
                                    name="one_current_resume_per_module"),
            models.CheckConstraint(condition=Q(stored__isnull=False) ^ ~Q(text=""),
                                   name="resume_file_xor_text"),
            models.CheckConstraint(condition=Q(status__in=["submitted", "accepted", "returned"]),
                                   name="resume_status_valid"),
            models.CheckConstraint(condition=~Q(status="returned") | ~Q(comment=""),
                                   name="returned_resume_has_comment"),
        ]

    def __str__(self) -> str:
        return f"Resume {self.module} — {self.registration}"


class Thread(models.Model):
    """A discussion of one batch about one module."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="+")
    module = models.ForeignKey(ProgramModule, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("judul"), max_length=TITLE_MAX)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_post_at = models.DateTimeField()
    post_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-last_post_at", "-pk"]
        indexes = [models.Index(fields=["batch", "module", "-last_post_at"])]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    """Plain text (rendered escaped, line breaks kept); a hidden post keeps its text for audit."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    body = models.TextField(_("isi"), max_length=POST_MAX)
    quote = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    is_facilitator = models.BooleanField(_("jawaban fasilitator"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")
    hidden_reason = models.CharField(_("alasan disembunyikan"), max_length=REASON_MAX,
                                     blank=True)

    class Meta:
        ordering = ["thread", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                                   name="hidden_post_has_reason"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.thread}"


class ThreadRead(models.Model):
    """How far a user has read a thread (posts with a higher pk are unread)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    last_post_id = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="thread_read_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.thread_id}: {self.last_post_id}"


class DigestCursor(models.Model):
    """Up to which post a user's forum digest of one batch has been sent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="+")
    last_post_id = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "batch"], name="digest_cursor_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.batch_id}: {self.last_post_id}"


class Reminder(models.Model):
    """One 'remind those behind' action, kept to show when it was last sent."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="+")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                null=True, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.sent_at:%Y-%m-%d %H:%M}"

