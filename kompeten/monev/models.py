"""Monev after the training: the programme's policy, questionnaires (sections and items),
waves per batch, the invitations that carry a respondent's link, and the answers.

The reports app reads these tables (response rates, milestone progress, impact items,
supervisors' vs participants' view, suggestions)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kompeten.actionplans.models import Milestone
from kompeten.common.models import OutgoingMail, StoredFile
from kompeten.programs.models import Batch, Program
from kompeten.registration.models import Registration

TEXT_MAX = 2000


class MonevPolicy(models.Model):
    """When a programme's waves open and close and how often a respondent is reminded."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE,
                                   related_name="monev_policy")
    offsets = models.CharField(
        _("gelombang (bulan setelah hari terakhir angkatan)"), max_length=40, default="3,6,12",
        help_text=_("Dipisahkan koma, mis. 3,6,12."))
    closing_days = models.PositiveSmallIntegerField(
        _("lama pengisian (hari)"), default=30,
        help_text=_("Gelombang ditutup sekian hari setelah dibuka."))
    max_reminders = models.PositiveSmallIntegerField(_("pengingat paling banyak"), default=2)
    reminder_gap_days = models.PositiveSmallIntegerField(
        _("jarak antarpengingat (hari)"), default=7,
        help_text=_("Paling sedikit sekian hari setelah e-mail sebelumnya."))

    class Meta:
        verbose_name = _("ketentuan monev")
        verbose_name_plural = _("ketentuan monev")
        constraints = [
            models.CheckConstraint(condition=Q(closing_days__gte=1),
                                   name="monev_closing_days_positive"),
            models.CheckConstraint(condition=Q(max_reminders__lte=10),
                                   name="monev_max_reminders_bounded"),
            models.CheckConstraint(condition=Q(reminder_gap_days__gte=1),
                                   name="monev_reminder_gap_positive"),
            models.CheckConstraint(condition=Q(offsets__regex=r"^[0-9]{1,2}(,[0-9]{1,2}){0,5}$"),
                                   name="monev_offsets_format"),
        ]

    def __str__(self) -> str:
        return f"{self.program}: {self.offsets}"

    @property
    def offset_list(self) -> list[int]:
        return sorted({int(x) for x in self.offsets.split(",") if x.strip()})


class Audience(models.TextChoices):
    PARTICIPANT = "participant", _("Peserta")
    SUPERVISOR = "supervisor", _("Atasan/mentor")


class Questionnaire(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE,
                                related_name="questionnaires")
    audience = models.CharField(_("responden"), max_length=20, choices=Audience.choices)
    title = models.CharField(_("judul"), max_length=200)
    intro = models.TextField(_("pengantar"), max_length=TEXT_MAX, blank=True)

    class Meta:
        ordering = ["program", "audience"]
        verbose_name = _("kuesioner")
        verbose_name_plural = _("kuesioner")
        constraints = [
            models.UniqueConstraint(fields=["program", "audience"],
                                    name="monev_one_questionnaire_per_audience"),
            models.CheckConstraint(condition=Q(audience__in=["participant", "supervisor"]),
                                   name="monev_questionnaire_audience_valid"),
        ]

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE,
                                      related_name="sections")
    order = models.PositiveSmallIntegerField(_("urutan"))
    title = models.CharField(_("judul bagian"), max_length=200)
    description = models.TextField(_("keterangan"), max_length=TEXT_MAX, blank=True)

    class Meta:
        ordering = ["questionnaire", "order"]
        verbose_name = _("bagian")
        verbose_name_plural = _("bagian")
        constraints = [models.UniqueConstraint(fields=["questionnaire", "order"],
                                               name="monev_section_order_unique")]

    def __str__(self) -> str:
        return self.title


class ItemKind(models.TextChoices):
    LIKERT = "likert", _("Skala setuju 1–5")
    FREQUENCY = "frequency", _("Frekuensi")
    CHOICE = "choice", _("Pilihan")
    NUMBER = "number", _("Angka")
    TEXT = "text", _("Teks")
    MILESTONES = "milestones", _("Langkah kerja RTL peserta")
    SUPERVISOR = "supervisor", _("Identitas atasan/mentor saat ini")


SYSTEM_KINDS = (ItemKind.MILESTONES, ItemKind.SUPERVISOR)


class Theme(models.TextChoices):
    """What an item measures, so reports can set participants' and supervisors' answers
    side by side whatever the wording."""
    IDENTITY = "identity", _("Identitas")
    PROGRESS = "progress", _("Progres RTL")
    APPLICATION = "application", _("Penerapan")
    IMPACT = "impact", _("Dampak terhadap kinerja")
    SUPPORT = "support", _("Dukungan")
    SUGGESTION = "suggestion", _("Saran")
    OTHER = "other", _("Lainnya")


class Item(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("urutan"))
    kind = models.CharField(_("jenis"), max_length=20, choices=ItemKind.choices)
    theme = models.CharField(_("tema"), max_length=20, choices=Theme.choices,
                             default=Theme.OTHER)
    text = models.CharField(_("pertanyaan"), max_length=500)
    required = models.BooleanField(_("wajib diisi"), default=False)
    options = models.TextField(_("pilihan"), max_length=TEXT_MAX, blank=True,
                               help_text=_("Untuk jenis pilihan: satu pilihan per baris."))
    min_value = models.IntegerField(_("nilai minimal"), null=True, blank=True)
    max_value = models.IntegerField(_("nilai maksimal"), null=True, blank=True)
    max_length = models.PositiveSmallIntegerField(_("panjang maksimal"), default=1000)

    class Meta:
        ordering = ["section", "order"]
        verbose_name = _("butir")
        verbose_name_plural = _("butir")
        constraints = [
            models.UniqueConstraint(fields=["section", "order"], name="monev_item_order_unique"),
            models.CheckConstraint(condition=Q(kind__in=ItemKind.values),
                                   name="monev_item_kind_valid"),
            models.CheckConstraint(condition=Q(theme__in=Theme.values),
                                   name="monev_item_theme_valid"),
            models.CheckConstraint(condition=Q(max_length__gte=1, max_length__lte=TEXT_MAX),
                                   name="monev_item_max_length_range"),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True) | Q(max_value__isnull=True)
                | Q(max_value__gte=F("min_value")), name="monev_item_min_not_above_max"),
            models.CheckConstraint(condition=~Q(kind="choice") | ~Q(options=""),
                                   name="monev_choice_has_options"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]


class Wave(models.Model):
    """One survey round of one batch: ``offset_months`` after its last day."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="monev_waves")
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="monev_waves")
    offset_months = models.PositiveSmallIntegerField(_("bulan ke-"))
    opens_on = models.DateField(_("dibuka"))
    closes_on = models.DateField(_("ditutup"))

    class Meta:
        ordering = ["opens_on", "batch__number"]
        verbose_name = _("gelombang monev")
        verbose_name_plural = _("gelombang monev")
        constraints = [
            models.UniqueConstraint(fields=["batch", "offset_months"],
                                    name="monev_wave_once_per_offset"),
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")),
                                   name="monev_wave_closes_after_opening"),
            models.CheckConstraint(condition=Q(offset_months__gte=1),
                                   name="monev_wave_offset_positive"),
        ]
        indexes = [models.Index(fields=["opens_on", "closes_on"])]

    def __str__(self) -> str:
        return f"{self.batch} +{self.offset_months}"

    def is_open(self, today) -> bool:
        return self.opens_on <= today <= self.closes_on


class Invitation(models.Model):
    """One person asked to answer one wave about one participant. The link's token is
    derived from the secret key and ``token_salt`` (so reminders can repeat it); only its
    hash is stored. Revoking or resending changes the salt and the old link stops working."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="monev_invitations")
    audience = models.CharField(_("responden"), max_length=20, choices=Audience.choices)
    name = models.CharField(_("nama"), max_length=200)
    email = models.EmailField(_("e-mail"))
    token_salt = models.CharField(max_length=32)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    opened_at = models.DateTimeField(_("dibuka"), null=True, blank=True)
    # Its response's submitted_at, written with it (services.submit): the waves overview
    # counts the answered invitations of a whole programme on this table alone, not joined
    # to every response (issue 13). The response stays the record of the answers.
    answered_at = models.DateTimeField(_("dijawab"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["wave", "registration__plain_name", "audience"]
        verbose_name = _("undangan monev")
        verbose_name_plural = _("undangan monev")
        constraints = [
            # One person once per wave and participant (a new supervisor gets their own row).
            models.UniqueConstraint(fields=["wave", "registration", "audience", "email"],
                                    name="monev_invitation_once_per_person"),
            models.UniqueConstraint(fields=["wave", "registration", "audience"],
                                    condition=Q(revoked_at__isnull=True),
                                    name="monev_one_live_invitation"),
            models.CheckConstraint(condition=Q(audience__in=["participant", "supervisor"]),
                                   name="monev_invitation_audience_valid"),
        ]
        # The waves overview's totals: per wave and audience, the live links and the answered
        # ones, counted from this index alone (selectors.wave_totals).
        indexes = [models.Index(fields=["wave", "audience", "answered_at"],
                                condition=Q(revoked_at__isnull=True),
                                name="monev_invitation_live_counts")]

    def __str__(self) -> str:
        return f"{self.wave}: {self.name} ({self.get_audience_display()})"


class SendKind(models.TextChoices):
    INVITATION = "invitation", _("Undangan")
    REMINDER = "reminder", _("Pengingat")
    RESEND = "resend", _("Dikirim ulang")


class SentMail(models.Model):
    """A mail to an invitation's person, claimed (inserted) before it is queued: the unique
    (invitation, kind, number) makes a second run or a concurrent worker skip it."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="sent")
    kind = models.CharField(max_length=20, choices=SendKind.choices)
    number = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()
    mail = models.ForeignKey(OutgoingMail, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")

    class Meta:
        ordering = ["invitation", "sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["invitation", "kind", "number"],
                                    name="monev_sent_once"),
            models.CheckConstraint(condition=Q(kind__in=SendKind.values),
                                   name="monev_sent_kind_valid"),
            models.CheckConstraint(condition=~Q(kind="invitation") | Q(number=0),
                                   name="monev_invitation_is_number_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.invitation_id} {self.kind} {self.number}"


class Response(models.Model):
    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE,
                                      related_name="response")
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("dikirim"), null=True, blank=True)

    class Meta:
        verbose_name = _("jawaban monev")
        verbose_name_plural = _("jawaban monev")

    def __str__(self) -> str:
        return str(self.invitation)


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    number = models.IntegerField(null=True, blank=True)
    text = models.TextField(max_length=TEXT_MAX, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="monev_answer_once"),
            models.CheckConstraint(condition=Q(number__isnull=False) | ~Q(text=""),
                                   name="monev_answer_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.number if self.number is not None else self.text}"


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Belum dimulai")
    IN_PROGRESS = "in_progress", _("Berjalan")
    DONE = "done", _("Selesai")
    DROPPED = "dropped", _("Dibatalkan")


class MilestoneAnswer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE,
                                 related_name="milestones")
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=MilestoneStatus.choices)
    percent = models.PositiveSmallIntegerField(_("persen"), default=0)
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    evidence = models.ForeignKey(StoredFile, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "milestone"],
                                    name="monev_milestone_once"),
            models.CheckConstraint(condition=Q(percent__lte=100),
                                   name="monev_milestone_percent_range"),
            models.CheckConstraint(condition=Q(status__in=MilestoneStatus.values),
                                   name="monev_milestone_status_valid"),
            models.CheckConstraint(condition=~Q(status="done") | Q(percent=100),
                                   name="monev_done_is_100"),
        ]

    def __str__(self) -> str:
        return f"{self.milestone_id}: {self.status} {self.percent}%"


class SupervisorChange(models.Model):
    """The participant's current supervisor as told in monev; the registration keeps the
    one of registration time (history is not rewritten)."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="supervisor_changes")
    name = models.CharField(_("nama atasan/mentor"), max_length=200)
    nip = models.CharField(_("NIP"), max_length=18, blank=True)
    position = models.CharField(_("jabatan"), max_length=250, blank=True)
    email = models.EmailField(_("e-mail"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           blank=True, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["registration", "-at", "-pk"]
        verbose_name = _("perubahan atasan")
        verbose_name_plural = _("perubahan atasan")
        constraints = [models.CheckConstraint(condition=Q(nip="") | Q(nip__regex=r"^[0-9]{18}$"),
                                              name="monev_supervisor_nip_format")]

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.name}"
