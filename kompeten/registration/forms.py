from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _


class ConfirmInvitationForm(forms.Form):
    """An official who already has an account only agrees (the account stays as it is)."""

    agree = forms.BooleanField(label=_("Saya bersedia mengikuti pelatihan dan sertifikasi "
                                       "serta menaati tata tertib."))


class AcceptInvitationForm(forms.Form):
    password1 = forms.CharField(label=_("Kata sandi"), widget=forms.PasswordInput,
                                strip=False)
    password2 = forms.CharField(label=_("Ulangi kata sandi"), widget=forms.PasswordInput,
                                strip=False)
    agree = ConfirmInvitationForm.base_fields["agree"]

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


class NameCorrectionForm(forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap dengan gelar"), max_length=200)
    reason = forms.CharField(label=_("Alasan koreksi"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Mis. sesuai SK atau ijazah; tercatat di riwayat."))
