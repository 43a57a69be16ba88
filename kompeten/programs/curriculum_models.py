"""The curriculum of one programme: a copy of the master modules, qualifications and
units taken when the programme is created, so that editing the master data for a later
year never rewrites what an earlier programme (and its certificates) lists."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kompeten.programs.models import Level, Program, QualificationScope


class ProgramModule(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="modules",
                                verbose_name=_("penyelenggaraan"))
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("jenjang"))
    order = models.PositiveSmallIntegerField(_("urutan"))
    title = models.CharField(_("judul modul"), max_length=250)

    class Meta:
        ordering = ["program", "level__order", "order"]
        verbose_name = _("modul penyelenggaraan")
        verbose_name_plural = _("modul penyelenggaraan")
        constraints = [
            models.UniqueConstraint(fields=["program", "level", "order"],
                                    name="program_module_order_unique",
                                    violation_error_message=_(
                                        "Nomor urut modul sudah dipakai di jenjang ini.")),
        ]

    def __str__(self) -> str:
        return self.title


class ProgramQualification(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE,
                                related_name="qualifications",
                                verbose_name=_("penyelenggaraan"))
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("nama kualifikasi"), max_length=200)
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("jenjang"))
    scope = models.CharField(_("berlaku untuk"), max_length=10,
                             choices=QualificationScope.choices,
                             default=QualificationScope.ALL)

    class Meta:
        ordering = ["program", "level__order", "name"]
        verbose_name = _("kualifikasi penyelenggaraan")
        verbose_name_plural = _("kualifikasi penyelenggaraan")
        constraints = [
            models.UniqueConstraint(fields=["program", "code"],
                                    name="program_qualification_code_unique",
                                    violation_error_message=_(
                                        "Kode kualifikasi sudah dipakai di penyelenggaraan ini.")),
            models.UniqueConstraint(fields=["program", "level", "scope"],
                                    name="program_qualification_scope_unique",
                                    violation_error_message=_(
                                        "Jenjang ini sudah punya kualifikasi untuk cakupan "
                                        "instansi ini.")),
        ]

    def __str__(self) -> str:
        return self.name


class ProgramUnit(models.Model):
    qualification = models.ForeignKey(ProgramQualification, on_delete=models.CASCADE,
                                      related_name="units", verbose_name=_("kualifikasi"))
    order = models.PositiveSmallIntegerField(_("urutan"))
    code = models.CharField(_("kode unit"), max_length=40)
    title = models.CharField(_("judul unit"), max_length=250)

    class Meta:
        ordering = ["qualification", "order"]
        verbose_name = _("unit kompetensi penyelenggaraan")
        verbose_name_plural = _("unit kompetensi penyelenggaraan")
        constraints = [
            models.UniqueConstraint(fields=["qualification", "order"],
                                    name="program_unit_order_unique",
                                    violation_error_message=_(
                                        "Nomor urut sudah dipakai di kualifikasi ini.")),
            models.UniqueConstraint(fields=["qualification", "code"],
                                    name="program_unit_code_unique",
                                    violation_error_message=_(
                                        "Kode unit sudah dipakai di kualifikasi ini.")),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
