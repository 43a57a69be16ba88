from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ORGANISER = "organiser", _("Penyelenggara")
    OPERATOR = "operator", _("Operator Instansi")
    PARTICIPANT = "participant", _("Peserta")
    FACILITATOR = "facilitator", _("Fasilitator")
    ASSESSOR = "assessor", _("Asesor")


class KompetenUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ORGANISER)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in. Exactly one role; agency operators belong to one agency."""

    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        "programs.Agency", verbose_name=_("instansi"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="users",
    )

    objects = KompetenUserManager()

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="operator") | Q(agency__isnull=False),
                name="operator_has_agency",
                violation_error_message=_("Operator instansi wajib terikat pada satu instansi."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in Role]),
                name="user_role_valid",
            ),
        ]

    @property
    def is_organiser(self) -> bool:
        return self.role == Role.ORGANISER
