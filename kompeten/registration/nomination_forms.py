from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


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
