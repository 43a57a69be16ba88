from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kompeten.programs.models import Agency, Level, Program


class Status(models.TextChoices):
    NOMINATED = "nominated", _("Diusulkan")
    DECLINED = "declined", _("Usulan ditolak")
    INVITED = "invited", _("Diundang")
    REGISTERED = "registered", _("Terdaftar")
    SUBMITTED = "submitted", _("Berkas lengkap")
    REVISION = "revision", _("Perlu perbaikan")
    ACCEPTED = "accepted", _("Diterima")
    REJECTED = "rejected", _("Ditolak")


# Statuses in which the participant may still edit the file (documents, CV, plan).
EDITABLE_STATUSES = (Status.REGISTERED, Status.REVISION)


class Gender(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Registration(models.Model):
    """One official in one programme, from the agency's nomination to a complete file."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="registrations",
                                verbose_name=_("penyelenggaraan"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="registrations",
                               verbose_name=_("instansi"))
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="registrations",
                              verbose_name=_("jenjang"))
    # The quota is a database invariant: each nomination takes a numbered seat
    # 1..quota of its agency and level, and a seat can be taken once.
    seat = models.PositiveSmallIntegerField(_("kursi kuota"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.NOMINATED)
    # Set when the file is accepted: which of the level's qualifications (as the
    # programme's curriculum lists them) this official is certified against.
    qualification = models.ForeignKey("programs.ProgramQualification", on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="registrations",
                                      verbose_name=_("kualifikasi"))

    nip = models.CharField(_("NIP"), max_length=18)
    is_pppk = models.BooleanField(_("PPPK"), default=False)
    birth_date = models.DateField(_("tanggal lahir"))
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Gender.choices)
    full_name = models.CharField(_("nama lengkap dengan gelar"), max_length=200)
    plain_name = models.CharField(_("nama tanpa gelar"), max_length=200, db_index=True)
    position = models.CharField(_("jabatan"), max_length=250)
    work_unit = models.CharField(_("unit kerja"), max_length=250, blank=True)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)

    mentor_name = models.CharField(_("nama mentor/atasan langsung"), max_length=200, blank=True)
    mentor_nip = models.CharField(_("NIP mentor"), max_length=18, blank=True)
    mentor_position = models.CharField(_("jabatan mentor"), max_length=250, blank=True)
    mentor_email = models.EmailField(_("e-mail mentor"), blank=True)

    # One account per official (username = NIP), reused across programmes.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="registrations")
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    nominated_at = models.DateTimeField(_("diusulkan pada"), auto_now_add=True)
    registered_at = models.DateTimeField(_("terdaftar pada"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("berkas lengkap pada"), null=True, blank=True)

    class Meta:
        ordering = ["plain_name"]
        verbose_name = _("pendaftaran")
        verbose_name_plural = _("pendaftaran")
        constraints = [
            models.UniqueConstraint(fields=["program", "nip"], name="one_registration_per_nip",
                                    violation_error_message=_("NIP ini sudah terdaftar.")),
            # A declined nomination gives its seat back.
            models.UniqueConstraint(fields=["program", "agency", "level", "seat"],
                                    condition=~Q(status="declined"),
                                    name="quota_seat_taken_once"),
            models.CheckConstraint(condition=Q(seat__gte=1), name="quota_seat_positive"),
        ]
        indexes = [models.Index(fields=["program", "status"]),
                   models.Index(fields=["program", "agency", "level"])]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.nip})"


class NominationLetter(models.Model):
    """Surat Usulan: the agency's signed nomination letter (PDF)."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="nomination_letters")
    number = models.CharField(_("nomor surat"), max_length=100)
    date = models.DateField(_("tanggal surat"))
    document = models.ForeignKey("StoredFile", on_delete=models.PROTECT, related_name="+")
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


class StoredFile(models.Model):
    """An uploaded file, checked by content and stored privately (never served directly)."""

    file = models.FileField(upload_to="uploads/%Y/%m/", max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class DocumentKind(models.TextChoices):
    ASSIGNMENT_LETTER = "sp", _("Surat perintah (SP) mengikuti pelatihan")
    HEALTH_CARD = "bpjs", _("Kartu BPJS Kesehatan/JKN KIS")
    PHOTO = "photo", _("Pas foto 3x4 berlatar merah")
    PORTFOLIO = "portfolio", _("Portofolio/riwayat pekerjaan")


REQUIRED_DOCUMENTS = [DocumentKind.ASSIGNMENT_LETTER, DocumentKind.HEALTH_CARD,
                      DocumentKind.PHOTO, DocumentKind.PORTFOLIO]


class Document(models.Model):
    """A required document of a registration. Replaced files stay as history."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="documents")
    kind = models.CharField(_("jenis dokumen"), max_length=20, choices=DocumentKind.choices)
    stored = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["registration", "kind", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "kind"], condition=Q(is_current=True),
                                    name="one_current_document_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.stored}"


class Invitation(models.Model):
    """A single-use, expiring link by which a nominee confirms and registers."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"Undangan {self.registration}"


class WorkHistoryEntry(models.Model):
    """Riwayat pekerjaan: one position held."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="work_history")
    position = models.CharField(_("jabatan"), max_length=250)
    unit = models.CharField(_("unit kerja"), max_length=250)
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("sampai"), null=True, blank=True,
                                help_text=_("Kosongkan bila masih menjabat."))
    duties = models.TextField(_("tugas pokok"), blank=True)

    class Meta:
        ordering = ["registration", "-start_date"]
        verbose_name = _("riwayat pekerjaan")
        verbose_name_plural = _("riwayat pekerjaan")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="work_history_end_not_before_start",
                violation_error_message=_("Tanggal selesai tidak boleh sebelum tanggal mulai."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}, {self.unit}"


class ActionPlan(models.Model):
    """Rencana tindak lanjut (RTL): a structured plan, not an upload."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE,
                                        related_name="action_plan")
    title = models.CharField(_("judul"), max_length=300)
    background = models.TextField(_("latar belakang"), help_text=_("Satu butir per baris."))
    problem = models.TextField(_("pokok permasalahan"))
    goals = models.TextField(_("tujuan"), help_text=_("Satu butir per baris."))
    benefits = models.TextField(_("manfaat"), help_text=_("Satu butir per baris."))
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
