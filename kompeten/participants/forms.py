"""Forms of the documents, work history and nomination-letter pages (they only parse)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kompeten.common.forms import DATE_FORMATS, DATE_WIDGET
from kompeten.participants.models import DocumentKind
from kompeten.registration.models import Registration


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(choices=DocumentKind.choices, widget=forms.HiddenInput)
    file = forms.FileField(label=_("Berkas"), widget=forms.FileInput, error_messages={
        "required": _("Pilih berkas yang akan diunggah."),
        "empty": _("Berkas yang dipilih kosong (0 byte)."),
    })

    def __init__(self, *args, accept: str = "", label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if accept:
            self.fields["file"].widget.attrs["accept"] = accept
        if label:
            self.fields["file"].label = label


class WorkHistoryForm(forms.Form):
    position = forms.CharField(label=_("Jabatan"), max_length=250)
    unit = forms.CharField(label=_("Unit kerja"), max_length=250,
                           help_text=_("Unit kerja dan instansi, mis. Bidang Pengembangan "
                                       "Kompetensi, BKD Provinsi Aceh."))
    start_date = forms.DateField(label=_("Mulai"), widget=DATE_WIDGET,
                                 input_formats=DATE_FORMATS)
    end_date = forms.DateField(label=_("Sampai"), widget=DATE_WIDGET, required=False,
                               input_formats=DATE_FORMATS,
                               help_text=_("Kosongkan bila masih menjabat."))
    duties = forms.CharField(label=_("Tugas pokok"), required=False,
                             widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("Uraian singkat tugas pokok pada jabatan ini."))


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = ["full_name", "position", "work_unit", "phone", "email", "mentor_name",
                  "mentor_nip", "mentor_position", "mentor_email"]
