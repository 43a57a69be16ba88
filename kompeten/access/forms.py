from django import forms
from django.utils.translation import gettext_lazy as _


class StaffForm(forms.Form):
    user = forms.ModelChoiceField(queryset=None, label=_("Fasilitator atau asesor"),
                                  empty_label=_("Pilih…"))

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = (
            lambda user: f"{user.get_full_name() or user.username} ({user.get_role_display()})")
