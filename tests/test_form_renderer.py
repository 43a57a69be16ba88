"""kompeten.common.formrenderer writes selects itself: the same markup as Django's stock
templates, byte for byte, for every kind of select the forms use."""

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from kompeten.common.formrenderer import FormRenderer
from kompeten.programs.models import Level


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("a", "Satu"), ("b", "Dua & <tiga>"), (3, "Tiga")])
    optional = forms.ChoiceField(required=False, choices=[("", "—"), ("x", "X")])
    grouped = forms.ChoiceField(choices=[("Kelompok <1>", [("1", "A"), ("2", "B")]),
                                         ("solo", "Sendiri"),
                                         ("Kelompok 2", [("3", "C")])])
    multiple = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B"), ("c", "C")])
    nullable = forms.NullBooleanField()
    lazy = forms.ChoiceField(choices=[("m", gettext_lazy("Semua")), ("n", "n")])
    dated = forms.ChoiceField(choices=[("d", dt.date(2024, 3, 5)), ("e", 1234567)])
    safe = forms.ChoiceField(choices=[(mark_safe("<v>"), mark_safe("<b>tebal</b>"))])  # noqa: S308
    attrs = forms.ChoiceField(choices=[("a", "A")], disabled=True, help_text="Bantuan",
                              widget=forms.Select(attrs={"class": "form-select",
                                                         "data-x": '"kutip"',
                                                         "autofocus": True,
                                                         "hidden": False}))
    level = forms.ModelChoiceField(queryset=Level.objects.all(), empty_label="Semua jenjang")


def _rendered(renderer, data) -> list[str]:
    form = Everything(data, renderer=renderer)
    form.is_valid()
    return [str(field) for field in form]


def test_the_fast_path_is_taken():
    assert FormRenderer()._stock_select()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("data", [
    None,
    {"plain": "b", "optional": "", "grouped": "3", "multiple": ["a", "c"], "nullable": "true",
     "lazy": "m", "dated": "e", "safe": "<v>", "attrs": "a", "level": "999"},
    {"plain": "nope", "grouped": "solo", "multiple": ["z"]},
])
def test_selects_are_the_stock_markup(language, data, world):
    with override(language):
        assert _rendered(FormRenderer(), data) == _rendered(DjangoTemplates(), data)


@pytest.mark.django_db
def test_a_select_shows_the_chosen_option(world):
    level = Level.objects.order_by("order").last()
    html = str(Everything({"level": str(level.pk)}, renderer=FormRenderer())["level"])
    assert f'<option value="{level.pk}" selected>{level.name}</option>' in html
