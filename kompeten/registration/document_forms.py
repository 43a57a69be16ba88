"""Forms of the documents, work history and nomination-letter pages (they only parse)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kompeten.registration.models import DocumentKind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]


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


class NominationLetterForm(forms.Form):
    number = forms.CharField(label=_("Nomor surat"), max_length=100,
                             help_text=_("Seperti tertulis pada surat, mis. 800/123/BKD/2019."))
    date = forms.DateField(label=_("Tanggal surat"), widget=DATE_WIDGET,
                           input_formats=DATE_FORMATS)
    document = forms.FileField(
        label=_("Surat usulan yang telah ditandatangani (PDF)"),
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": _("Pilih berkas PDF surat usulan."),
                        "empty": _("Berkas yang dipilih kosong (0 byte).")})
