from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kompeten.common.models import StoredFile
from kompeten.registration.models import Registration


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
