from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kompeten.accounts.models import Role


class StaffRole(models.TextChoices):
    FACILITATOR = Role.FACILITATOR.value, Role.FACILITATOR.label
    ASSESSOR = Role.ASSESSOR.value, Role.ASSESSOR.label


class BatchStaff(models.Model):
    """A facilitator or assessor serving one batch; they see only the batches they serve.

    The role repeats the user's role so the database can check that they match (a trigger
    in migration 0001, since a check constraint cannot look at another table)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("pengguna"),
                             on_delete=models.CASCADE, related_name="batch_roles")
    batch = models.ForeignKey("programs.Batch", verbose_name=_("angkatan"),
                              on_delete=models.CASCADE, related_name="staff")
    role = models.CharField(_("peran"), max_length=20, choices=StaffRole.choices)

    class Meta:
        verbose_name = _("staf angkatan")
        verbose_name_plural = _("staf angkatan")
        ordering = ["batch", "role", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "batch", "role"], name="batch_staff_unique",
                                    violation_error_message=_("Sudah bertugas di angkatan ini.")),
            models.CheckConstraint(condition=Q(role__in=StaffRole.values),
                                   name="batch_staff_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.batch}"
