"""Forms only parse; the rules are in services and questionnaires."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kompeten.monev.models import TEXT_MAX, ItemKind, Theme


class PolicyForm(forms.Form):
    offsets = forms.CharField(label=_("Gelombang (bulan setelah hari terakhir angkatan)"),
                              max_length=40, help_text=_("Dipisahkan koma, mis. 3,6,12."))
    closing_days = forms.IntegerField(label=_("Lama pengisian (hari)"), min_value=1,
                                      max_value=365)
    max_reminders = forms.IntegerField(label=_("Pengingat paling banyak"), min_value=0,
                                       max_value=10)
    reminder_gap_days = forms.IntegerField(label=_("Jarak antarpengingat (hari)"),
                                           min_value=1, max_value=90)


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Judul bagian"), max_length=200)
    description = forms.CharField(label=_("Keterangan"), max_length=TEXT_MAX, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class ItemForm(forms.Form):
    text = forms.CharField(label=_("Pertanyaan"), max_length=500)
    kind = forms.ChoiceField(label=_("Jenis"), choices=ItemKind.choices)
    theme = forms.ChoiceField(label=_("Tema"), choices=Theme.choices, initial=Theme.OTHER)
    required = forms.BooleanField(label=_("Wajib diisi"), required=False)
    options = forms.CharField(label=_("Pilihan (satu per baris)"), max_length=TEXT_MAX,
                              required=False, widget=forms.Textarea(attrs={"rows": 3}))
    min_value = forms.IntegerField(label=_("Nilai minimal"), required=False)
    max_value = forms.IntegerField(label=_("Nilai maksimal"), required=False)
    max_length = forms.IntegerField(label=_("Panjang maksimal teks"), initial=1000,
                                    min_value=1, max_value=TEXT_MAX)


class SupervisorForm(forms.Form):
    name = forms.CharField(label=_("Nama atasan/mentor"), max_length=200)
    nip = forms.CharField(label=_("NIP atasan"), max_length=21, required=False)
    position = forms.CharField(label=_("Jabatan atasan"), max_length=250, required=False)
    email = forms.EmailField(label=_("E-mail atasan"))


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Bukti dukung (PDF/JPEG/PNG)"))
