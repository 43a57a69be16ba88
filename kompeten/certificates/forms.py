"""Forms of the certificates app: they only parse."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kompeten.certificates.models import CertificatePolicy, Kind


class PolicyForm(forms.ModelForm):
    class Meta:
        model = CertificatePolicy
        fields = ["competence_rule", "min_units_k", "training_pattern", "competence_pattern",
                  "scheme", "place", "signatory_name", "signatory_title", "signatory_nip",
                  "english_lines"]


class IssueForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis sertifikat"), choices=Kind.choices)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class EligibilityForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 3}))
    units = forms.MultipleChoiceField(label=_("Unit kompetensi yang dinilai K"),
                                      required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = [(str(u.pk), f"{u.code} {u.title}") for u in units]
        if not units:
            del self.fields["units"]


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}))
    full_name = forms.CharField(label=_("Nama dengan gelar yang benar"), max_length=200,
                                required=False)


class SearchForm(forms.Form):
    number = forms.CharField(label=_("Nomor sertifikat"), max_length=120)
    name = forms.CharField(label=_("Nama pemegang"), max_length=200)
