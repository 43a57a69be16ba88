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
    WITHDRAWN = "withdrawn", _("Ditarik")


# Statuses in which the participant may still edit the file (profile, documents, work
# history, plan): before the first submission and when the reviewer sends it back.
# kompeten/registration/lifecycle.py is the one place that decides what follows from a status.
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
            models.CheckConstraint(condition=Q(status__in=Status.values),
                                   name="registration_status_valid"),
        ]
        indexes = [models.Index(fields=["program", "status"]),
                   models.Index(fields=["program", "agency", "level"])]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.nip})"


class Invitation(models.Model):
    """A single-use, expiring link by which a nominee confirms and registers."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)
    # The e-mail that carries the link: queued, sent or failed (shown to the organiser).
    mail = models.ForeignKey("common.OutgoingMail", on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+")

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"Undangan {self.registration}"


class StatusLog(models.Model):
    """One step of a registration's lifecycle (or a logged correction): who, when, from,
    to, why. Written only by kompeten.registration.lifecycle.transition()."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="status_log")
    transition = models.CharField(_("langkah"), max_length=30)
    # Empty for a registration that was created in its status (demo data, bulk loads).
    from_status = models.CharField(_("dari status"), max_length=20, blank=True,
                                   choices=Status.choices)
    to_status = models.CharField(_("ke status"), max_length=20, choices=Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           blank=True, related_name="+", verbose_name=_("oleh"))
    at = models.DateTimeField(_("waktu"))
    reason = models.TextField(_("alasan / catatan"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("riwayat status")
        verbose_name_plural = _("riwayat status")
        indexes = [models.Index(fields=["registration", "at"])]
        constraints = [
            models.CheckConstraint(condition=Q(to_status__in=Status.values),
                                   name="status_log_to_valid"),
            models.CheckConstraint(condition=Q(from_status__in=["", *Status.values]),
                                   name="status_log_from_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.from_status or '-'} → {self.to_status}"
