"""Forms only parse; limits and rules are checked in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kompeten.elearning.models import (
    COMMENT_MAX,
    POST_MAX,
    REASON_MAX,
    RESUME_TEXT_MAX,
    TITLE_MAX,
    URL_MAX,
    MaterialKind,
)

MATERIAL_ACCEPT = ".pdf,.pptx,.docx"
RESUME_ACCEPT = ".pdf,.docx"


class MaterialForm(forms.Form):
    module = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Judul materi"), max_length=TITLE_MAX)
    kind = forms.ChoiceField(label=_("Jenis"), choices=MaterialKind.choices,
                             widget=forms.RadioSelect, initial=MaterialKind.FILE)
    file = forms.FileField(label=_("Berkas (PDF, PPTX, DOCX)"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": MATERIAL_ACCEPT}))
    url = forms.URLField(label=_("Tautan video (https://…)"), required=False,
                         max_length=URL_MAX, assume_scheme="https")


class VersionForm(forms.Form):
    file = forms.FileField(label=_("Berkas versi baru"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": MATERIAL_ACCEPT}))
    url = forms.URLField(label=_("Tautan versi baru"), required=False, max_length=URL_MAX,
                         assume_scheme="https")
    note = forms.CharField(label=_("Catatan perubahan"), required=False, max_length=REASON_MAX)


class ResumeForm(forms.Form):
    text = forms.CharField(label=_("Ketik resume"), required=False, max_length=RESUME_TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 6}))
    file = forms.FileField(label=_("atau unggah berkas (PDF/DOCX)"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": RESUME_ACCEPT}))


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Judul topik"), max_length=TITLE_MAX)
    body = forms.CharField(label=_("Isi"), max_length=POST_MAX,
                           widget=forms.Textarea(attrs={"rows": 4}))


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Balasan"), max_length=POST_MAX,
                           widget=forms.Textarea(attrs={"rows": 4}))
    quote = forms.IntegerField(required=False, widget=forms.HiddenInput)


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Alasan disembunyikan"), max_length=REASON_MAX)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Terima")), ("return", _("Kembalikan"))])
    comment = forms.CharField(label=_("Komentar untuk peserta"), required=False,
                              max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 3}))
