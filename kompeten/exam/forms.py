"""Forms only parse; the rules are checked in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kompeten.exam.models import (
    ANSWER_MAX,
    MAX_OPTIONS,
    OPTION_MAX,
    REASON_MAX,
    TEXT_MAX,
    ExamPolicy,
    QuestionKind,
)
from kompeten.exam.services import MAX_EXTRA_MINUTES, QuestionData

IMAGE_ACCEPT = ".png,.jpg,.jpeg"


class TokenForm(forms.Form):
    token = forms.CharField(label=_("Token ujian"), max_length=12,
                            widget=forms.TextInput(attrs={"autocomplete": "off",
                                                          "autocapitalize": "characters"}))


class SaveForm(forms.Form):
    """One answer from the test page's script."""

    slot = forms.IntegerField(min_value=1)
    seq = forms.IntegerField(min_value=1, max_value=2**62)
    choice = forms.IntegerField(required=False, min_value=1)
    text = forms.CharField(required=False, max_length=ANSWER_MAX, strip=False)
    kind = forms.ChoiceField(choices=[("choice", "choice"), ("text", "text"),
                                      ("clear", "clear")])


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis soal"), choices=QuestionKind.choices,
                             widget=forms.RadioSelect)
    text = forms.CharField(label=_("Pertanyaan"), max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 4}))
    option_1 = forms.CharField(label=_("Pilihan A"), max_length=OPTION_MAX, required=False)
    option_2 = forms.CharField(label=_("Pilihan B"), max_length=OPTION_MAX, required=False)
    option_3 = forms.CharField(label=_("Pilihan C"), max_length=OPTION_MAX, required=False)
    option_4 = forms.CharField(label=_("Pilihan D"), max_length=OPTION_MAX, required=False)
    option_5 = forms.CharField(label=_("Pilihan E (boleh kosong)"), max_length=OPTION_MAX,
                               required=False)
    key = forms.TypedChoiceField(label=_("Kunci jawaban"), required=False, coerce=int,
                                 empty_value=None,
                                 choices=[("", "—")] + [(str(i), "ABCDE"[i]) for i in range(5)])
    explanation = forms.CharField(label=_("Pembahasan"), max_length=TEXT_MAX, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    expected_points = forms.CharField(label=_("Pokok jawaban yang diharapkan (esai)"),
                                      max_length=TEXT_MAX, required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))
    max_points = forms.IntegerField(label=_("Skor maksimal (esai)"), min_value=1,
                                    max_value=100, initial=10, required=False)
    image = forms.FileField(label=_("Gambar (PNG/JPEG, boleh kosong)"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}))
    drop_image = forms.BooleanField(label=_("Hapus gambar"), required=False)

    def data_object(self) -> QuestionData:
        data = self.cleaned_data
        options = [data[f"option_{n}"] for n in range(1, MAX_OPTIONS + 1)]
        while options and not options[-1].strip():
            options.pop()
        return QuestionData(kind=data["kind"], text=data["text"], options=tuple(options),
                            key=data["key"], explanation=data["explanation"],
                            expected_points=data["expected_points"],
                            max_points=data["max_points"] or 10)

    @classmethod
    def initial_for(cls, question) -> dict:
        initial = {"kind": question.kind, "text": question.text,
                   "explanation": question.explanation,
                   "expected_points": question.expected_points,
                   "max_points": question.max_points}
        for index, option in enumerate(question.options.all()):
            initial[f"option_{index + 1}"] = option.text
            if option.is_key:
                initial["key"] = str(index)
        return initial


class ExtendForm(forms.Form):
    minutes = forms.IntegerField(label=_("Tambahan waktu (menit)"), min_value=0,
                                 max_value=MAX_EXTRA_MINUTES, initial=10)
    reason = forms.CharField(label=_("Alasan"), max_length=REASON_MAX)


class MarkForm(forms.Form):
    points = forms.DecimalField(label=_("Skor"), min_value=0, max_value=100, decimal_places=2)


class PolicyForm(forms.ModelForm):
    class Meta:
        model = ExamPolicy
        fields = ["minutes", "mc_per_unit", "essays_per_unit"]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas Excel (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
    dry_run = forms.BooleanField(label=_("Periksa saja, jangan simpan"), required=False)
