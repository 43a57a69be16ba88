"""Render a form field's widget with Bootstrap classes and accessible error links."""

from django import template
from django.forms import BoundField
from django.forms.widgets import CheckboxInput, RadioSelect, Select, SelectMultiple

register = template.Library()


@register.simple_tag
def bootstrap_widget(field: BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, RadioSelect):
        css = ""
    elif isinstance(widget, Select | SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    attrs = {"class": f"{css} is-invalid".strip() if field.errors else css}
    described_by = []
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
        attrs["aria-invalid"] = "true"
    if field.help_text:
        described_by.append(f"{field.auto_id}-help")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.simple_tag
def radio_options(field: BoundField) -> list:
    """The options of a radio group with Bootstrap's class, for a <fieldset> whose <legend>
    names the group (a <label for=""> names nothing)."""
    widget = field.field.widget
    css = "form-check-input is-invalid" if field.errors else "form-check-input"
    widget.attrs = {**widget.attrs, "class": css}
    return list(field.subwidgets)
