from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kompeten.common.forms import DATE_FORMATS, DATE_WIDGET
from kompeten.programs.models import Level
from kompeten.registration.models import Gender


class NominationUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas usulan (.xlsx)"),
        help_text=_("Gunakan templat: satu peserta per baris, nama kolom pada baris 1 tidak "
                    "diubah."))
    dry_run = forms.BooleanField(
        label=_("Periksa saja, jangan simpan"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Jenis berkas tidak didukung: unggah berkas Excel "
                                          "(.xlsx), sebaiknya dari templat usulan."))
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("Berkas terlalu besar (maksimal %(mb)s MB).")
                % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)})
        return upload


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


class NomineeForm(forms.Form):
    level = forms.ModelChoiceField(Level.objects.all(), label=_("Jenjang"), empty_label=None)
    nip = forms.CharField(label=_("NIP"), max_length=22,
                          help_text=_("18 angka, tanpa spasi. Contoh: 196102121985091001"))
    is_pppk = forms.BooleanField(label=_("Pegawai PPPK (nomor induk PPPK)"), required=False)
    gender = forms.ChoiceField(label=_("Jenis kelamin (hanya untuk PPPK)"), required=False,
                               choices=[("", "—"), *Gender.choices])
    full_name = forms.CharField(label=_("Nama lengkap dengan gelar"), max_length=200,
                                help_text=_("Tulis gelar seperti pada SK, mis. Drs. AP, M.Si."))
    position = forms.CharField(label=_("Jabatan"), max_length=250)
    work_unit = forms.CharField(label=_("Unit kerja"), max_length=250, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254)
    phone = forms.CharField(label=_("Nomor HP"), max_length=30, required=False)
