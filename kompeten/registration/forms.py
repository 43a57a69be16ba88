from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from kompeten.programs.models import Level
from kompeten.registration.models import Gender, Registration


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


class AcceptInvitationForm(forms.Form):
    password1 = forms.CharField(label=_("Kata sandi"), widget=forms.PasswordInput,
                                strip=False)
    password2 = forms.CharField(label=_("Ulangi kata sandi"), widget=forms.PasswordInput,
                                strip=False)
    agree = forms.BooleanField(label=_("Saya bersedia mengikuti pelatihan dan sertifikasi "
                                       "serta menaati tata tertib."))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        elif cleaned.get("password1"):
            try:
                validate_password(cleaned["password1"])
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = ["full_name", "position", "work_unit", "phone", "email", "mentor_name",
                  "mentor_nip", "mentor_position", "mentor_email"]
