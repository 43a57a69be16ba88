"""The question bank per competency unit of a programme and the online written test:
sessions per batch, attempts per participant and the items drawn for each attempt."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kompeten.programs.curriculum_models import ProgramUnit
from kompeten.programs.models import Batch, Program
from kompeten.registration.models import Registration

TEXT_MAX = 2000
OPTION_MAX = 500
ANSWER_MAX = 5000
REASON_MAX = 300
MIN_OPTIONS, MAX_OPTIONS = 4, 5


class ExamPolicy(models.Model):
    """The programme's rules for the written test (defaults apply when absent)."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="exam_policy",
                                   verbose_name=_("penyelenggaraan"))
    minutes = models.PositiveSmallIntegerField(_("waktu ujian (menit)"), default=90)
    mc_per_unit = models.PositiveSmallIntegerField(_("soal pilihan ganda per unit"), default=3)
    essays_per_unit = models.PositiveSmallIntegerField(_("soal esai per unit"), default=1)

    class Meta:
        verbose_name = _("ketentuan ujian tertulis")
        verbose_name_plural = _("ketentuan ujian tertulis")
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gte=5) & Q(minutes__lte=600),
                                   name="exam_policy_minutes_range"),
            models.CheckConstraint(condition=Q(mc_per_unit__lte=50) & Q(essays_per_unit__lte=10)
                                   & (Q(mc_per_unit__gt=0) | Q(essays_per_unit__gt=0)),
                                   name="exam_policy_items_range"),
        ]

    def __str__(self) -> str:
        return f"{self.program}: {self.minutes} min"


class QuestionKind(models.TextChoices):
    MULTIPLE_CHOICE = "mc", _("Pilihan ganda")
    ESSAY = "essay", _("Esai")


class Question(models.Model):
    """One version of a question. A question used in an attempt is never changed: editing
    it makes version n+1 (same ``origin``) and retires version n."""

    unit = models.ForeignKey(ProgramUnit, on_delete=models.PROTECT, related_name="questions",
                             verbose_name=_("unit kompetensi"))
    origin = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="versions", verbose_name=_("versi pertama"))
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    kind = models.CharField(_("jenis"), max_length=10, choices=QuestionKind.choices)
    text = models.TextField(_("pertanyaan"), max_length=TEXT_MAX)
    explanation = models.TextField(_("pembahasan"), max_length=TEXT_MAX, blank=True)
    expected_points = models.TextField(_("pokok jawaban yang diharapkan"), max_length=TEXT_MAX,
                                       blank=True)
    max_points = models.PositiveSmallIntegerField(_("skor maksimal"), default=1)
    image = models.ForeignKey("common.StoredFile", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name=_("gambar"))
    retired_at = models.DateTimeField(_("dipensiunkan pada"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit", "kind", "pk"]
        verbose_name = _("soal")
        verbose_name_plural = _("soal")
        constraints = [
            models.UniqueConstraint(fields=["origin", "version"], name="exam_question_version",
                                    condition=Q(origin__isnull=False)),
            models.CheckConstraint(condition=Q(max_points__gte=1) & Q(max_points__lte=100),
                                   name="exam_question_points_range"),
            models.CheckConstraint(condition=Q(kind="essay") | Q(max_points=1),
                                   name="exam_question_mc_one_point"),
            models.CheckConstraint(condition=Q(kind__in=["mc", "essay"]),
                                   name="exam_question_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.code} #{self.pk} v{self.version}"

    @property
    def excerpt(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveSmallIntegerField(_("urutan"))
    text = models.CharField(_("pilihan"), max_length=OPTION_MAX)
    is_key = models.BooleanField(_("kunci"), default=False)

    class Meta:
        ordering = ["question", "order"]
        constraints = [
            models.UniqueConstraint(fields=["question", "order"], name="exam_option_order"),
            models.UniqueConstraint(fields=["question"], condition=Q(is_key=True),
                                    name="exam_option_one_key"),
        ]

    def __str__(self) -> str:
        return self.text


class ExamSession(models.Model):
    """The written test of one batch: prepared, opened with a token, closed."""

    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="exam_sessions",
                              verbose_name=_("angkatan"))
    token = models.CharField(_("token"), max_length=12, unique=True)
    minutes = models.PositiveSmallIntegerField(_("waktu (menit)"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(_("dibuka pada"), null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sesi ujian")
        verbose_name_plural = _("sesi ujian")
        constraints = [
            models.UniqueConstraint(fields=["batch"], condition=Q(closed_at__isnull=True),
                                    name="exam_session_one_running_per_batch",
                                    violation_error_message=_(
                                        "Angkatan ini sudah punya sesi ujian yang belum ditutup.")),
            models.CheckConstraint(condition=Q(closed_at__isnull=True) | Q(opened_at__isnull=False),
                                   name="exam_session_closed_after_open"),
            models.CheckConstraint(condition=Q(minutes__gte=1), name="exam_session_minutes"),
        ]

    def __str__(self) -> str:
        return f"{self.batch} · {self.token}"

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None and self.closed_at is None


class CloseReason(models.TextChoices):
    SUBMITTED = "submitted", _("diselesaikan peserta")
    DEADLINE = "deadline", _("waktu habis")
    SESSION = "session", _("sesi ditutup")


class Attempt(models.Model):
    session = models.ForeignKey(ExamSession, on_delete=models.PROTECT, related_name="attempts")
    registration = models.ForeignKey(Registration, on_delete=models.PROTECT,
                                     related_name="exam_attempts")
    started_at = models.DateTimeField(_("mulai"))
    deadline = models.DateTimeField(_("batas waktu"))
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    close_reason = models.CharField(_("sebab ditutup"), max_length=10,
                                    choices=CloseReason.choices, blank=True)
    scored_at = models.DateTimeField(_("dinilai pada"), null=True, blank=True)

    class Meta:
        ordering = ["session", "registration__plain_name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "registration"],
                                    name="exam_attempt_one_per_session",
                                    violation_error_message=_(
                                        "Peserta sudah punya percobaan di sesi ini.")),
            models.CheckConstraint(condition=Q(deadline__gt=F("started_at")),
                                   name="exam_attempt_deadline_after_start"),
            models.CheckConstraint(condition=Q(scored_at__isnull=True)
                                   | Q(closed_at__isnull=False),
                                   name="exam_attempt_scored_after_close"),
            models.CheckConstraint(condition=Q(closed_at__isnull=True, close_reason="")
                                   | (Q(closed_at__isnull=False) & ~Q(close_reason="")),
                                   name="exam_attempt_close_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.registration} · {self.session}"


class AttemptItem(models.Model):
    """One slot of an attempt: the drawn question, its option order and the saved answer.
    ``seq`` is the client's sequence number of the saved answer: a save with a lower or
    equal number never overwrites it (conditional UPDATE)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("nomor"))
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    option_order = models.JSONField(default=list)
    max_points = models.PositiveSmallIntegerField(default=1)
    choice = models.ForeignKey(Option, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    text = models.TextField(max_length=ANSWER_MAX, blank=True)
    seq = models.BigIntegerField(default=0)
    answered_at = models.DateTimeField(null=True, blank=True)
    points = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")
    marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="exam_item_position"),
            models.UniqueConstraint(fields=["attempt", "question"], name="exam_item_question"),
            models.CheckConstraint(condition=Q(seq__gte=0), name="exam_item_seq_positive"),
            models.CheckConstraint(condition=Q(points__isnull=True)
                                   | (Q(points__gte=0) & Q(points__lte=F("max_points"))),
                                   name="exam_item_points_range"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.position}"


class EventKind(models.TextChoices):
    EXTEND = "extend", _("tambah waktu")
    UNLOCK = "unlock", _("buka kunci")


class AttemptEvent(models.Model):
    """What the assessor did to one attempt, with the reason (the log)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("tindakan"), max_length=10, choices=EventKind.choices)
    minutes = models.PositiveSmallIntegerField(_("menit"), default=0)
    reason = models.CharField(_("alasan"), max_length=REASON_MAX)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           related_name="+")
    at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        ordering = ["at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="exam_event_reason_given"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.attempt_id}"
