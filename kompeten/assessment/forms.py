"""Forms only parse; the rules are in services.py and decisions.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kompeten.accounts.models import Role, User
from kompeten.assessment.decision_models import Sidang, Verdict
from kompeten.assessment.models import AssessmentPolicy, OralQuestion


class PolicyForm(forms.ModelForm):
    class Meta:
        model = AssessmentPolicy
        fields = ["participants_per_assessor", "appeal_days", "method", "lead_assessor"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_assessor"].queryset = User.objects.filter(
            role=Role.ASSESSOR, is_active=True).order_by("first_name", "username")


class QuestionForm(forms.ModelForm):
    class Meta:
        model = OralQuestion
        fields = ["question", "expected_answer"]
        widgets = {"question": forms.Textarea(attrs={"rows": 2}),
                   "expected_answer": forms.Textarea(attrs={"rows": 3})}


class DecisionForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Keputusan"), choices=Verdict.choices)
    note = forms.CharField(label=_("Catatan asesor"), max_length=2000, required=False)
    feedback = forms.CharField(label=_("Umpan balik untuk peserta"), max_length=2000,
                               required=False)
    reason = forms.CharField(label=_("Alasan koreksi"), max_length=500, required=False)
    action = forms.ChoiceField(choices=[("save", "save"), ("sign", "sign"),
                                        ("correct", "correct")])


class OralAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Jawaban peserta"), max_length=1000, required=False)
    achieved = forms.BooleanField(label=_("Memenuhi"), required=False)


class EvidenceForm(forms.Form):
    key = forms.CharField(max_length=40)
    valid = forms.BooleanField(required=False)
    authentic = forms.BooleanField(required=False)
    current = forms.BooleanField(required=False)
    sufficient = forms.BooleanField(required=False)
    note = forms.CharField(max_length=500, required=False)


class ObservationForm(forms.Form):
    observation = forms.CharField(label=_("Catatan pengamatan asesor"), max_length=2000,
                                  required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SidangForm(forms.ModelForm):
    class Meta:
        model = Sidang
        fields = ["held_on", "decree_number", "panel_members"]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "panel_members": forms.Textarea(attrs={"rows": 3})}


class AppealForm(forms.Form):
    reason = forms.CharField(label=_("Alasan banding"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class PanelDecisionForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Putusan"), choices=Verdict.choices,
                                widget=forms.RadioSelect)
    note = forms.CharField(label=_("Pertimbangan panel"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    feedback = forms.CharField(label=_("Umpan balik untuk peserta"), max_length=2000,
                               required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    registration = forms.IntegerField()
    assessor = forms.IntegerField()


class PanelForm(forms.Form):
    panel = forms.IntegerField()
