"""Forms of the topic group pages: they only parse; kompeten.rumpun.topics saves."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kompeten.programs.models import Batch
from kompeten.rumpun.models import Topic


class MoveTopicForm(forms.Form):
    topic = forms.ModelChoiceField(
        label=_("Pindah ke rumpun"), queryset=Topic.objects.all(),
        error_messages={"required": _("Pilih rumpun tujuan."),
                        "invalid_choice": _("Rumpun yang dipilih tidak ada.")})


class ProposeForm(forms.Form):
    """Propose the groups of the whole programme, or of one batch when given."""

    batch = forms.ModelChoiceField(queryset=Batch.objects.all(), required=False,
                                   error_messages={"invalid_choice": _("Angkatan tidak ada.")})

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batch"].queryset = Batch.objects.filter(program=program)


class GroupFilterForm(forms.Form):
    """Find a batch in the groups summary: by level and number (both optional)."""

    jenjang = forms.ChoiceField(label=_("Jenjang"), required=False)
    nomor = forms.IntegerField(label=_("Nomor angkatan"), required=False, min_value=1,
                               max_value=32767, error_messages={
                                   "invalid": _("Nomor angkatan harus berupa angka, misalnya 12."),
                                   "min_value": _("Nomor angkatan mulai dari 1."),
                                   "max_value": _("Nomor angkatan terlalu besar.")})

    def __init__(self, *args, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = {level.code: level for level in levels}
        self.fields["jenjang"].choices = [("", _("Semua jenjang"))] + [
            (level.code, level.name) for level in levels]
        self.fields["jenjang"].error_messages["invalid_choice"] = _("Jenjang tidak dikenal.")

    def filters(self) -> dict:
        """Valid filters for selectors.find_batches (a field with an error is left out)."""
        data = getattr(self, "cleaned_data", {})
        return {"level": self.levels.get(data.get("jenjang") or ""), "number": data.get("nomor")}
