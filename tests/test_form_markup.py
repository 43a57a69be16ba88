"""Radio groups are named by a <fieldset> and its <legend> (a <label for=""> names
nothing): every RadioSelect rendered through _form_fields.html, e.g. the review decision."""

import re

from django.template.loader import render_to_string

from kompeten.review.forms import DecisionForm


def test_radio_group_is_a_fieldset_with_a_legend_and_labelled_options():
    page = render_to_string("_form_fields.html", {"form": DecisionForm()})
    assert 'for=""' not in page
    group = re.search(r"<fieldset[^>]*>\s*<legend[^>]*>Keputusan.*?</fieldset>", page, re.S)
    assert group, page
    radios = re.findall(r'<input type="radio"[^>]*id="([^"]+)"', group.group(0))
    assert radios and all(f'for="{radio}"' in group.group(0) for radio in radios)
    assert 'class="form-check-input"' in group.group(0)


def test_an_invalid_radio_group_points_at_its_error():
    form = DecisionForm(data={"version": "1"})
    assert not form.is_valid()
    page = render_to_string("_form_fields.html", {"form": form})
    fieldset = re.search(r"<fieldset[^>]*>", page).group(0)
    assert 'aria-describedby="id_decision-error"' in fieldset
    assert 'id="id_decision-error"' in page and "is-invalid" in page
