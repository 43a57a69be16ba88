from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kompeten.programs.models import Level, Program


class ScheduleFilterForm(forms.Form):
    level = forms.ModelChoiceField(
        Level.objects.all(), to_field_name="code", required=False, label=_("Jenjang"),
        empty_label=_("Semua jenjang"),
    )
    month = forms.TypedChoiceField(
        label=_("Bulan"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Semua bulan"))] + [
            (number, name) for number, name in enumerate(
                ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                 "September", "Oktober", "November", "Desember"], start=1)
        ],
    )


class ScheduleUploadForm(forms.Form):
    program = forms.ModelChoiceField(
        Program.objects.all(), label=_("Penyelenggaraan"), empty_label=None
    )
    file = forms.FileField(
        label=_("Berkas jadwal (.csv atau .xlsx)"),
        help_text=_("Kolom wajib: angkatan, jenjang, tanggal_mulai, tanggal_selesai. "
                    "Kolom pilihan: jumlah_peserta, tempat."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Jenis berkas tidak didukung: gunakan .csv atau .xlsx."))
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("Berkas terlalu besar (maksimal %(mb)s MB).")
                % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        return upload


class ProgramCopyForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun penyelenggaraan baru"), min_value=2000,
                              max_value=2100)
    code = forms.SlugField(label=_("Kode"), max_length=40,
                           help_text=_("Dipakai di alamat halaman, mis. 2027 atau 2027-2."))
    name = forms.CharField(label=_("Nama penyelenggaraan"), max_length=250, required=False,
                           help_text=_("Kosongkan untuk memakai nama penyelenggaraan asal."))

    def clean_code(self):
        code = self.cleaned_data["code"]
        if Program.objects.filter(code=code).exists():
            raise forms.ValidationError(_("Kode %(code)s sudah dipakai.") % {"code": code})
        return code
