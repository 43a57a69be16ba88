"""The classroom days: the facilitator register, the programme's session template and the
sessions of each batch with their facilitators."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kompeten.programs.models import Batch, Level, Program, ProgramModule


class FacilitatorKind(models.TextChoices):
    """The five kinds of the seed guide (Fasilitator)."""

    JPT_MADYA = "jpt_madya", _("JPT Madya")
    WIDYAISWARA = "widyaiswara", _("Widyaiswara")
    JPT_PRATAMA = "jpt_pratama", _("JPT Pratama")
    ADMINISTRATOR = "administrator", _("Pejabat Administrator")
    PRACTITIONER = "practitioner", _("Pakar praktisi")


class Facilitator(models.Model):
    """One person on the facilitator register; the login is optional (guest speakers)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="facilitator",
                                verbose_name=_("akun"))
    name = models.CharField(_("nama dengan gelar"), max_length=200)
    kind = models.CharField(_("unsur"), max_length=20, choices=FacilitatorKind.choices)
    expertise = models.CharField(_("keahlian"), max_length=250, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("fasilitator")
        verbose_name_plural = _("fasilitator")

    def __str__(self) -> str:
        return self.name


class SessionKind(models.TextChoices):
    LESSON = "lesson", _("Materi")
    TEST = "test", _("Uji kompetensi")


class SessionTemplate(models.Model):
    """One row of the programme's timetable (for one level, or every level)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE,
                                related_name="session_templates",
                                verbose_name=_("penyelenggaraan"))
    level = models.ForeignKey(Level, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("jenjang"))
    day = models.PositiveSmallIntegerField(_("hari ke"))
    start = models.TimeField(_("mulai"))
    end = models.TimeField(_("selesai"))
    kind = models.CharField(_("jenis"), max_length=10, choices=SessionKind.choices,
                            default=SessionKind.LESSON)
    module = models.ForeignKey(ProgramModule, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+", verbose_name=_("modul"))
    title = models.CharField(_("judul sesi"), max_length=250)
    jp = models.PositiveSmallIntegerField(_("JP"))

    class Meta:
        ordering = ["program", "level__order", "day", "start"]
        verbose_name = _("templat sesi")
        verbose_name_plural = _("templat sesi")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")),
                                   name="session_template_end_after_start",
                                   violation_error_message=_(
                                       "Jam selesai harus setelah jam mulai.")),
            models.CheckConstraint(condition=Q(jp__gt=0) & Q(day__gte=1),
                                   name="session_template_jp_day_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.day}. {self.start:%H:%M} {self.title}"


class ClassSession(models.Model):
    """One session of a batch: a module (or the test) between two moments, worth some JP."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="sessions",
                              verbose_name=_("angkatan"))
    day = models.PositiveSmallIntegerField(_("hari ke"))
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    kind = models.CharField(_("jenis"), max_length=10, choices=SessionKind.choices,
                            default=SessionKind.LESSON)
    module = models.ForeignKey(ProgramModule, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+", verbose_name=_("modul"))
    title = models.CharField(_("judul sesi"), max_length=250)
    jp = models.PositiveSmallIntegerField(_("JP"))
    room = models.CharField(_("ruang"), max_length=100, blank=True)
    # The facilitators' .ics feed's LAST-MODIFIED and SEQUENCE (a moved session is a change).
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        ordering = ["batch", "starts_at"]
        verbose_name = _("sesi kelas")
        verbose_name_plural = _("sesi kelas")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")),
                                   name="class_session_end_after_start",
                                   violation_error_message=_(
                                       "Jam selesai harus setelah jam mulai.")),
            models.CheckConstraint(condition=Q(jp__gt=0), name="class_session_jp_positive",
                                   violation_error_message=_("JP harus lebih dari 0.")),
            models.UniqueConstraint(fields=["batch", "starts_at"],
                                    name="class_session_start_once_per_batch",
                                    violation_error_message=_(
                                        "Angkatan ini sudah punya sesi pada jam itu.")),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%d-%m-%Y %H:%M})"


class SessionAssignment(models.Model):
    """A facilitator teaches a session. No overlap per facilitator (services.assign checks
    under a row lock on the facilitator)."""

    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE,
                                related_name="assignments")
    facilitator = models.ForeignKey(Facilitator, on_delete=models.PROTECT,
                                    related_name="assignments")
    # Copied from the session so the clash query needs no join.
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "facilitator"],
                                    name="facilitator_once_per_session"),
        ]

    def __str__(self) -> str:
        return f"{self.facilitator} → {self.session}"


class ClassroomPolicy(models.Model):
    """The programme's attendance rule for the training certificate."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE,
                                   related_name="classroom_policy")
    min_jp = models.PositiveSmallIntegerField(
        _("JP kehadiran minimal"), default=12,
        help_text=_("Peserta yang hadir kurang dari ini tidak mendapat sertifikat pelatihan."))

    class Meta:
        verbose_name = _("ketentuan kehadiran")
        verbose_name_plural = _("ketentuan kehadiran")
        constraints = [models.CheckConstraint(condition=Q(min_jp__gt=0),
                                              name="classroom_min_jp_positive")]

    def __str__(self) -> str:
        return f"{self.program}: {self.min_jp} JP"
