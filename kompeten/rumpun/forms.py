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
