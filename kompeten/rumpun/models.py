from django.db import models
from django.utils.translation import gettext_lazy as _

from kompeten.batching.models import Placement


class Topic(models.Model):
    """Rumpun: a theme shared by a case-study group (planning, procurement, ...)."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama rumpun"), max_length=150, unique=True)
    keywords = models.TextField(_("kata kunci"), blank=True,
                                help_text=_("Istilah tambahan yang menandai rumpun ini."))
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("rumpun")
        verbose_name_plural = _("rumpun")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A placed participant's topic group within their batch.

    ``suggested_topic`` is what the system proposed; a ``topic`` that differs from it was
    chosen by hand (see kompeten.rumpun.topics.move_topic).
    """

    placement = models.OneToOneField(Placement, on_delete=models.CASCADE, primary_key=True,
                                     related_name="membership")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="memberships", verbose_name=_("rumpun"))
    suggested_topic = models.ForeignKey(Topic, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("usulan rumpun"))
    terms = models.CharField(_("istilah yang cocok"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("anggota rumpun")
        verbose_name_plural = _("anggota rumpun")

    def __str__(self) -> str:
        return f"{self.placement_id} → {self.topic or '-'}"
