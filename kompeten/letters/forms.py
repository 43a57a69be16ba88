"""Forms of the letters app: they parse and check the organiser's input, nothing more."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kompeten.letters import defaults, wording
from kompeten.letters.models import LetterSettings, LetterStatus, SendScope
from kompeten.letters.services import EDITABLE_FIELDS
from kompeten.programs.models import PROVINCE_CHOICES, Agency, AgencyKind


class LetterSettingsForm(forms.ModelForm):
    class Meta:
        model = LetterSettings
        fields = EDITABLE_FIELDS
        widgets = {
            "letter_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "body": forms.Textarea(attrs={"rows": 14}),
            "tembusan": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 7}),
        }

    def clean_number_format(self) -> str:
        value = self.cleaned_data["number_format"].strip()
        wording.check_placeholders(value, defaults.NUMBER_PLACEHOLDERS, required=["seq"])
        return value

    def clean_body(self) -> str:
        value = self.cleaned_data["body"]
        wording.check_placeholders(value, defaults.BODY_PLACEHOLDERS)
        if not wording.paragraphs(value):
            raise forms.ValidationError(_("Isi surat tidak boleh kosong."))
        return value

    def clean_addressee_central(self) -> str:
        value = self.cleaned_data["addressee_central"].strip()
        wording.check_placeholders(value, defaults.ADDRESSEE_PLACEHOLDERS)
        return value

    def clean_addressee_regional(self) -> str:
        value = self.cleaned_data["addressee_regional"].strip()
        wording.check_placeholders(value, defaults.ADDRESSEE_PLACEHOLDERS)
        return value


class SendForm(forms.Form):
    scope = forms.ChoiceField(label=_("Kirim ke"), choices=SendScope.choices,
                              initial=SendScope.UNSENT,
                              widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    # Sent by the confirmation page (what will be sent, to how many), never by the overview.
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


NOT_ISSUED = "none"


class AgencyLetterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari instansi atau kode"))
    kind = django_filters.ChoiceFilter(choices=AgencyKind.choices, label=_("Jenis"),
                                       empty_label=_("Semua jenis"))
    province = django_filters.ChoiceFilter(choices=PROVINCE_CHOICES, label=_("Provinsi"),
                                           empty_label=_("Semua provinsi"))
    status = django_filters.ChoiceFilter(
        method="by_status", label=_("Status surat"), empty_label=_("Semua status"),
        choices=[(NOT_ISSUED, _("Belum bernomor")), *LetterStatus.choices])

    class Meta:
        model = Agency
        fields = ["q", "kind", "province", "status"]

    def search(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))

    def by_status(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        if value == NOT_ISSUED:
            return queryset.filter(letter_id__isnull=True)
        return queryset.filter(letter_status=value)
