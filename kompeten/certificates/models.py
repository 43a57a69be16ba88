"""Certificates: the programme's certificate policy, the numbered certificates (every version
kept, a revoked one included), the organiser's eligibility records, the issuance runs and
the public verification log."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kompeten.common.storage import private_storage
from kompeten.programs.models import Batch, Program
from kompeten.registration.models import Registration

DEFAULT_SCHEME = "MANAJEMEN APARATUR SIPIL NEGARA"


def new_public_id() -> str:
    """The id in the QR's URL: 32 random bytes, never derived from the number."""
    return secrets.token_urlsafe(32)


class Kind(models.TextChoices):
    TRAINING = "training", _("Sertifikat pelatihan")
    COMPETENCE = "competence", _("Sertifikat kompeten")


class CompetenceRule(models.TextChoices):
    ALL = "all", _("Semua unit kompetensi K")
    AT_LEAST = "at_least", _("Paling sedikit N unit kompetensi K")


class CertificatePolicy(models.Model):
    """The programme's certificate rules and wording; absent, the defaults below apply."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE,
                                   related_name="certificate_policy")
    competence_rule = models.CharField(_("syarat sertifikat kompeten"), max_length=10,
                                       choices=CompetenceRule.choices,
                                       default=CompetenceRule.ALL)
    min_units_k = models.PositiveSmallIntegerField(
        _("jumlah unit K minimal"), default=1,
        help_text=_("Dipakai bila syaratnya paling sedikit N unit K."))
    training_pattern = models.CharField(
        _("pola nomor sertifikat pelatihan"), max_length=100,
        default="{seq:05}/SERT-PMASN/{level}/{year}",
        help_text=_("{seq:05} nomor urut 5 digit, {level} jenjang, {year} tahun."))
    competence_pattern = models.CharField(
        _("pola nomor sertifikat kompeten"), max_length=100,
        default="{seq:05}/SERT-MASN/{level}/{year}")
    scheme = models.CharField(_("skema sertifikasi"), max_length=150, default=DEFAULT_SCHEME)
    place = models.CharField(_("tempat penetapan"), max_length=60, default="Jakarta")
    signatory_name = models.CharField(
        _("nama penandatangan"), max_length=150, blank=True,
        help_text=_("Kosongkan untuk memakai penandatangan penyelenggaraan."))
    signatory_title = models.CharField(_("jabatan penandatangan"), max_length=150, blank=True)
    signatory_nip = models.CharField(_("NIP penandatangan"), max_length=18, blank=True)
    english_lines = models.BooleanField(_("baris bahasa Inggris di bawah judul"), default=True)

    class Meta:
        verbose_name = _("ketentuan sertifikat")
        verbose_name_plural = _("ketentuan sertifikat")
        constraints = [
            models.CheckConstraint(condition=Q(min_units_k__gt=0),
                                   name="certificate_min_units_positive"),
            models.CheckConstraint(condition=Q(competence_rule__in=["all", "at_least"]),
                                   name="certificate_rule_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.program}: {self.get_competence_rule_display()}"


class NumberCounter(models.Model):
    """The last sequence number taken per programme and kind; locked (select_for_update)
    while a certificate is issued, so numbers stay gapless and unique."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "kind"], name="one_counter_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.program_id}/{self.kind}: {self.last}"


class Certificate(models.Model):
    """One issued version; what it says is copied in, so later edits never change it."""

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT,
                                     related_name="certificates")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(Batch, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    number = models.CharField(_("nomor sertifikat"), max_length=120)
    public_id = models.CharField(max_length=64, unique=True, default=new_public_id)
    full_name = models.CharField(_("nama dengan gelar"), max_length=200)
    nip = models.CharField(_("NIP"), max_length=18)
    qualification_name = models.CharField(_("kualifikasi"), max_length=200)
    level_name = models.CharField(_("jenjang"), max_length=100)
    units = models.JSONField(_("unit kompetensi K"), default=list)
    units_k = models.PositiveSmallIntegerField(default=0)
    units_total = models.PositiveSmallIntegerField(default=0)
    place = models.CharField(max_length=60)
    signatory_name = models.CharField(max_length=150)
    signatory_title = models.CharField(max_length=150)
    signatory_nip = models.CharField(max_length=18, blank=True)
    basis = models.CharField(_("dasar"), max_length=300)
    issued_at = models.DateTimeField(_("diterbitkan"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, related_name="+")
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    revoke_reason = models.CharField(_("alasan pencabutan"), max_length=300, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    replaces = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="replaced_by")
    pdf = models.FileField(upload_to="certificates/", max_length=300, blank=True,
                           storage=private_storage)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    is_signed = models.BooleanField(default=False)

    class Meta:
        ordering = ["program", "kind", "number"]
        verbose_name = _("sertifikat")
        verbose_name_plural = _("sertifikat")
        constraints = [
            models.UniqueConstraint(fields=["registration", "kind"],
                                    condition=Q(revoked_at__isnull=True),
                                    name="one_valid_certificate_per_kind"),
            models.UniqueConstraint(fields=["program", "kind", "number"],
                                    name="certificate_number_unique"),
            models.CheckConstraint(condition=Q(units_k__lte=F("units_total")),
                                   name="certificate_units_k_within_total"),
            models.CheckConstraint(condition=Q(kind__in=["training", "competence"]),
                                   name="certificate_kind_valid"),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoke_reason=""),
                name="certificate_revocation_has_reason"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class ManualEligibility(models.Model):
    """The organiser's record that an official meets a certificate's rule, with the reason
    (until the e-learning, classroom or assessment records say so themselves)."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="+")
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    reason = models.CharField(_("alasan"), max_length=300)
    unit_ids = models.JSONField(_("unit kompetensi K"), default=list)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    recorded_at = models.DateTimeField(_("dicatat"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registration", "kind"],
                                    name="one_manual_eligibility_per_kind"),
            models.CheckConstraint(condition=~Q(reason=""),
                                   name="manual_eligibility_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id}/{self.kind}: {self.reason}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Dalam antrean")
    RUNNING = "running", _("Berjalan")
    FINISHED = "finished", _("Selesai")


class IssueRun(models.Model):
    """One "issue the certificates" of a batch (or a whole programme), with its progress."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="+")
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices,
                              default=RunStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    issued = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    merged_pdf = models.FileField(upload_to="certificates/batches/", max_length=300,
                                  blank=True, storage=private_storage)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(issued__lte=F("total") - F("skipped")),
                                   name="issue_run_counts_within_total"),
            models.CheckConstraint(condition=Q(status__in=["queued", "running", "finished"]),
                                   name="issue_run_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.program_id}/{self.batch_id or '*'} ({self.status})"

    @property
    def done(self) -> int:
        return self.issued + self.skipped

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else (
            100 if self.status == RunStatus.FINISHED else 0)

    @property
    def is_active(self) -> bool:
        return self.status != RunStatus.FINISHED


class SiasnExport(models.Model):
    """The SIASN workbook of a programme written by a background job (a year nationally is
    far more rows than a request can write), with its progress; an operator's holds only
    their own agency's officials."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey("programs.Agency", on_delete=models.CASCADE, null=True,
                               blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices,
                              default=RunStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    written = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="certificates/siasn/", max_length=300, blank=True,
                            storage=private_storage)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(written__lte=F("total")),
                                   name="siasn_export_written_within_total"),
            models.CheckConstraint(condition=Q(status__in=["queued", "running", "finished"]),
                                   name="siasn_export_status_valid"),
        ]

    def __str__(self) -> str:
        return f"SIASN {self.program_id} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == RunStatus.FINISHED:
            return 100
        return round(100 * self.written / self.total) if self.total else 0

    @property
    def is_active(self) -> bool:
        return self.status != RunStatus.FINISHED


class LookupResult(models.TextChoices):
    VALID = "valid", _("Sah")
    REVOKED = "revoked", _("Dicabut")
    NOT_FOUND = "not_found", _("Tidak ditemukan")
    LIMITED = "limited", _("Dibatasi")


class VerificationLookup(models.Model):
    """One public lookup (QR, search or badge status): what was asked and the answer; the
    address only as a salted hash."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    via = models.CharField(max_length=10)
    query = models.CharField(max_length=120)
    certificate = models.ForeignKey(Certificate, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    result = models.CharField(max_length=10, choices=LookupResult.choices)
    client = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.via} {self.result}"
