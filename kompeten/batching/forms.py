"""Forms of the batch placement pages: they only parse."""

from django import forms
from django.utils.translation import gettext_lazy as _

WAITING = "tunggu"


class RunForm(forms.Form):
    ACTIONS = [("preview", _("Pratinjau")), ("run", _("Jalankan penempatan otomatis")),
               ("reset", _("Atur ulang yang belum diumumkan"))]

    level = forms.ChoiceField(label=_("Jenjang"))
    action = forms.ChoiceField(choices=ACTIONS)

    def __init__(self, *args, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(level.code, level.name) for level in levels]
        self.fields["level"].error_messages["invalid_choice"] = _(
            "Jenjang ini tidak mempunyai angkatan di penyelenggaraan ini.")


class MoveForm(forms.Form):
    """Which placement goes where: a batch of its level, or the waiting list."""

    placement = forms.IntegerField(widget=forms.HiddenInput)
    to = forms.ChoiceField(label=_("Pindahkan ke"))

    def __init__(self, *args, batches, **kwargs):
        super().__init__(*args, **kwargs)
        self.batches = {str(batch.pk): batch for batch in batches}
        self.fields["to"].choices = [(WAITING, _("Daftar tunggu"))] + [
            (key, _("Angkatan %(number)s") % {"number": batch.number})
            for key, batch in self.batches.items()]
        self.fields["to"].error_messages["invalid_choice"] = _(
            "Pilih angkatan jenjang yang sama atau daftar tunggu.")
        self.fields["to"].error_messages["required"] = _(
            "Pilih angkatan tujuan atau daftar tunggu.")

    @property
    def target(self):
        """The chosen batch, or None for the waiting list (after is_valid())."""
        return self.batches.get(self.cleaned_data["to"])
