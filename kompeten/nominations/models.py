from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kompeten.common.models import StoredFile
from kompeten.programs.models import Agency, Program


class NominationLetter(models.Model):
    """Surat Usulan: the agency's signed nomination letter (PDF)."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="nomination_letters")
    number = models.CharField(_("nomor surat"), max_length=100)
    date = models.DateField(_("tanggal surat"))
    document = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
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
