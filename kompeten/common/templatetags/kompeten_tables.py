"""Names for the scrolling box of every django-tables2 table (kompeten.html)."""

from django import template
from django.utils.text import capfirst
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def table_label(table) -> str:
    """The rows' name (the model's plural) for screen readers; a generic name for tables
    of computed rows."""
    model = getattr(getattr(table, "_meta", None), "model", None) or getattr(
        getattr(table, "data", None), "model", None)
    if model is not None:
        return capfirst(str(model._meta.verbose_name_plural))
    return _("Tampilan tabel")
