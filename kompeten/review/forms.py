from django import forms
from django.utils.translation import gettext_lazy as _

from kompeten.review.models import Decision
from kompeten.review.services import SECTIONS


class DecisionForm(forms.Form):
    """Parses a reviewer's decision; the rules live in services.decide."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("Keputusan"), choices=Decision.choices,
                                 widget=forms.RadioSelect)
    comment_profile = forms.CharField(
        label=SECTIONS["profile"], required=False,
        widget=forms.Textarea(attrs={"rows": 2}))
    comment_work_history = forms.CharField(
        label=SECTIONS["work_history"], required=False,
        widget=forms.Textarea(attrs={"rows": 2}))
    comment_action_plan = forms.CharField(
        label=SECTIONS["action_plan"], required=False,
        widget=forms.Textarea(attrs={"rows": 3}))
    comment_documents = forms.CharField(
        label=SECTIONS["documents"], required=False,
        widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(
        label=_("Alasan penolakan"), required=False,
        help_text=_("Wajib bila berkas ditolak; dikirim kepada peserta."),
        widget=forms.Textarea(attrs={"rows": 2}))

    def comments(self) -> dict[str, str]:
        return {key: self.cleaned_data[f"comment_{key}"] for key in SECTIONS}
