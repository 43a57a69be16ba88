"""The assessment record of a programme: policy, oral questions, assessors assigned to
participants, the participant's self-assessment and consent, the portfolio check and the
oral answers. Decisions, appeals and the sidang live in decision_models.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kompeten.programs.models import Batch, Program, ProgramUnit
from kompeten.registration.models import Registration

DEFAULT_METHOD = "Portofolio, tes tertulis dan tanya jawab lisan"


class AssessmentPolicy(models.Model):
    """What differs per programme; absent, the defaults of the fields apply."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE,
                                   related_name="assessment_policy")
    participants_per_assessor = models.PositiveSmallIntegerField(
        _("peserta per asesor"), default=10,
        help_text=_("Pembagian otomatis memberi setiap asesor paling banyak sejumlah ini."))
    appeal_days = models.PositiveSmallIntegerField(
        _("masa banding (hari)"), default=7,
        help_text=_("Banding dapat diajukan sampai sekian hari setelah hasil ditetapkan."))
    method = models.CharField(_("metode asesmen"), max_length=300, default=DEFAULT_METHOD)
    lead_assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                      null=True, blank=True, related_name="+",
                                      verbose_name=_("asesor kepala"),
                                      limit_choices_to={"role": "assessor"})

    class Meta:
        verbose_name = _("ketentuan asesmen")
        verbose_name_plural = _("ketentuan asesmen")
        constraints = [
            models.CheckConstraint(condition=Q(participants_per_assessor__gt=0),
                                   name="assessment_ratio_positive"),
            models.CheckConstraint(condition=Q(appeal_days__gt=0),
                                   name="assessment_appeal_days_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.program}: 1:{self.participants_per_assessor}"


class OralQuestion(models.Model):
    """IA.07: a question the assessor asks on one unit, with the expected answer."""

    unit = models.ForeignKey(ProgramUnit, on_delete=models.CASCADE, related_name="oral_questions",
                             verbose_name=_("unit kompetensi"))
    order = models.PositiveSmallIntegerField(_("urutan"))
    question = models.TextField(_("pertanyaan"), max_length=1000)
    expected_answer = models.TextField(_("jawaban yang diharapkan"), max_length=2000)

    class Meta:
        ordering = ["unit", "order"]
        verbose_name = _("pertanyaan lisan")
        verbose_name_plural = _("pertanyaan lisan")
        constraints = [models.UniqueConstraint(fields=["unit", "order"],
                                               name="oral_question_order_unique")]

    def __str__(self) -> str:
        return self.question[:60]


class Assignment(models.Model):
    """The assessor of one participant. An assessor never assesses an official of their own
    agency: the service refuses it and a database trigger (migration 0002) backs it up."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE,
                                        related_name="assessment_assignment")
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="assessments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="assessments", verbose_name=_("asesor"))
    observation = models.TextField(_("catatan pengamatan asesor"), max_length=2000, blank=True)
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("penugasan asesor")
        verbose_name_plural = _("penugasan asesor")
        indexes = [models.Index(fields=["batch", "assessor"])]

    def __str__(self) -> str:
        return f"{self.assessor} → {self.registration}"


class SelfAssessment(models.Model):
    """APL.02: per unit the participant says they can do it or not yet, with evidence."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="self_assessments")
    unit = models.ForeignKey(ProgramUnit, on_delete=models.CASCADE, related_name="+")
    can_do = models.BooleanField(_("dapat"))
    evidence = models.CharField(_("bukti yang ditunjuk"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "unit"],
                                               name="self_assessment_once_per_unit")]

    def __str__(self) -> str:
        return f"{self.registration_id}/{self.unit_id}: {self.can_do}"


class Consent(models.Model):
    """AK.01: the assessment plan the participant accepted, as it stood when accepted."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE,
                                        related_name="assessment_consent")
    method = models.CharField(_("metode"), max_length=300)
    planned_on = models.DateField(_("tanggal"))
    venue = models.CharField(_("tempat"), max_length=200)
    assessor_name = models.CharField(_("asesor"), max_length=200)
    accepted_at = models.DateTimeField(_("disetujui pada"))

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.accepted_at}"


class EvidenceCheck(models.Model):
    """IA.08: the assessor's judgement of one evidence item (a work-history entry or the
    action plan): valid, authentic, current, sufficient."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="evidence_checks")
    key = models.CharField(max_length=40)  # "plan" or "work:<entry id>"
    label = models.CharField(_("bukti"), max_length=300)
    valid = models.BooleanField(_("valid"), default=False)
    authentic = models.BooleanField(_("asli"), default=False)
    current = models.BooleanField(_("terkini"), default=False)
    sufficient = models.BooleanField(_("memadai"), default=False)
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "key"],
                                               name="evidence_check_once")]

    def __str__(self) -> str:
        return self.label


class OralAnswer(models.Model):
    """IA.07: what the participant answered to an oral question, recorded by the assessor."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="oral_answers")
    question = models.ForeignKey(OralQuestion, on_delete=models.PROTECT, related_name="answers")
    answer = models.CharField(_("jawaban peserta"), max_length=1000, blank=True)
    achieved = models.BooleanField(_("memenuhi"), default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "question"],
                                               name="oral_answer_once")]

    def __str__(self) -> str:
        return f"{self.registration_id}/{self.question_id}"


from kompeten.assessment.decision_models import (  # noqa: E402, F401
    Appeal,
    Decision,
    DecisionLog,
    Sidang,
)
