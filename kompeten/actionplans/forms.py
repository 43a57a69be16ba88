"""Forms of the action plan: they parse; the rules live in action_plans.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kompeten.actionplans.models import ActionPlan, DurationUnit, Horizon, Milestone
from kompeten.actionplans.plans import MAX_MILESTONES, MilestoneInput, PlanInput

POINTS_HELP = _("Satu butir per baris; nomor butir dibuat otomatis.")


def _limit(name: str) -> int:
    return ActionPlan._meta.get_field(name).max_length


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=_limit("title"))
    background = forms.CharField(label=_("Latar belakang"), help_text=POINTS_HELP,
                                 max_length=_limit("background"),
                                 widget=forms.Textarea(attrs={"rows": 4}))
    problem = forms.CharField(label=_("Pokok permasalahan"), max_length=_limit("problem"),
                              widget=forms.Textarea(attrs={"rows": 3}))
    goals = forms.CharField(label=_("Tujuan"), help_text=POINTS_HELP, max_length=_limit("goals"),
                            widget=forms.Textarea(attrs={"rows": 3}))
    benefits = forms.CharField(label=_("Manfaat"), help_text=POINTS_HELP,
                               max_length=_limit("benefits"),
                               widget=forms.Textarea(attrs={"rows": 3}))

    def to_input(self) -> PlanInput:
        return PlanInput(**{name: self.cleaned_data[name] for name in self.fields})


class MilestoneForm(forms.Form):
    """One row. Every field is optional so that an untouched extra row is simply skipped;
    a row that has anything typed in must be complete."""

    ROW_FIELDS = ("horizon", "activity", "duration_value", "duration_unit", "start_week",
                  "output")

    horizon = forms.ChoiceField(label=_("Jangka waktu"), required=False,
                                choices=[("", "—"), *Horizon.choices])
    activity = forms.CharField(label=_("Kegiatan"), required=False,
                               max_length=Milestone._meta.get_field("activity").max_length)
    duration_value = forms.IntegerField(label=_("Durasi"), min_value=1, max_value=999,
                                        required=False)
    duration_unit = forms.ChoiceField(label=_("Satuan"), required=False,
                                      choices=[("", "—"), *DurationUnit.choices])
    start_week = forms.IntegerField(
        label=_("Mulai minggu ke-"), min_value=1, max_value=52, required=False,
        help_text=_("Kosongkan: mulai setelah langkah sebelumnya."))
    output = forms.CharField(label=_("Target capaian/output"), required=False,
                             max_length=Milestone._meta.get_field("output").max_length)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(name) not in (None, "") for name in self.ROW_FIELDS)

    def clean(self):
        cleaned = super().clean()
        if self.is_blank() and not self.errors:
            return cleaned
        required = {"horizon": _("Pilih jangka waktu."), "activity": _("Kegiatan wajib diisi."),
                    "duration_value": _("Durasi wajib diisi."),
                    "duration_unit": _("Pilih satuan durasi."),
                    "output": _("Target capaian/output wajib diisi.")}
        for name, message in required.items():
            if cleaned.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def to_input(self) -> MilestoneInput:
        data = self.cleaned_data
        return MilestoneInput(horizon=data["horizon"], activity=data["activity"],
                              duration_value=data["duration_value"],
                              duration_unit=data["duration_unit"], output=data["output"],
                              start_week=data["start_week"])


def milestone_formset(*, data=None, initial=None, extra: int = 1):
    formset_class = forms.formset_factory(MilestoneForm, extra=extra, can_delete=True,
                                          max_num=MAX_MILESTONES, validate_max=True)
    return formset_class(data=data, initial=initial, prefix="langkah")


def milestone_initial(items: list[MilestoneInput]) -> list[dict]:
    return [{"horizon": m.horizon, "activity": m.activity, "duration_value": m.duration_value,
             "duration_unit": m.duration_unit, "start_week": m.start_week, "output": m.output}
            for m in items]


def posted_rows(data, *, prefix: str = "langkah") -> list[dict]:
    """The raw values of every posted row, to show them again in fresh forms (add a row)."""
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), MAX_MILESTONES)
    except ValueError:
        total = 0
    rows = []
    for index in range(total):
        if data.get(f"{prefix}-{index}-DELETE"):
            continue
        rows.append({name: data.get(f"{prefix}-{index}-{name}", "")
                     for name in MilestoneForm.ROW_FIELDS})
    return rows
