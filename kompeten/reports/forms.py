"""Forms of the reports app: they only parse."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kompeten.reports.models import CORRECTION_TEXT_MAX, NOTE_MAX, CorrectionStatus


class CorrectionForm(forms.Form):
    registration = forms.TypedChoiceField(label=_("Pendaftaran"), coerce=int)
    text = forms.CharField(label=_("Data yang perlu diperbaiki dan perbaikannya"),
                           max_length=CORRECTION_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration"].choices = [
            (r.pk, f"{r.program.code} · {r.program.name}") for r in registrations]


class HandleCorrectionForm(forms.Form):
    status = forms.ChoiceField(label=_("Hasil"), choices=[
        (CorrectionStatus.DONE, CorrectionStatus.DONE.label),
        (CorrectionStatus.REJECTED, CorrectionStatus.REJECTED.label)])
    response = forms.CharField(label=_("Tanggapan"), max_length=NOTE_MAX, required=False)


class RetentionForm(forms.Form):
    retention_years = forms.IntegerField(label=_("Masa retensi (tahun)"), min_value=1,
                                         max_value=30)


class EraseForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=500)
