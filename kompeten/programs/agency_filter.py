"""Choosing an agency in a list's filter at national scale.

A <select> of every agency is 2,000 options (150 kB of HTML, and most of a page's rendering
time) once every regency's BKPSDM takes part. Lists filter by agency with a text field
instead (``instansi``: part of the name, or the exact code); the ``agency`` id filter stays
as a hidden field, so a link to a list filtered by one agency (``?agency=<id>``) keeps working.
"""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kompeten.programs.models import Agency

# The longest text a search field accepts (longer than any agency name or code).
SEARCH_MAX_LENGTH = 200


class AgencySearchFilter(django_filters.CharFilter):
    """Rows whose agency's name contains the text, or whose agency code is the text."""

    def __init__(self, *, field_name: str = "agency", **kwargs):
        kwargs.setdefault("label", _("Instansi"))
        kwargs.setdefault("max_length", SEARCH_MAX_LENGTH)
        kwargs.setdefault("widget", forms.TextInput(attrs={
            "placeholder": _("Nama atau kode instansi"), "maxlength": SEARCH_MAX_LENGTH}))
        super().__init__(field_name=field_name, **kwargs)

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        text = " ".join((value or "").split())
        if not text:
            return qs
        path = self.field_name
        return qs.filter(Q(**{f"{path}__name__icontains": text})
                         | Q(**{f"{path}__code__iexact": text}))


def agency_id_filter(**kwargs) -> django_filters.ModelChoiceFilter:
    """The ``agency`` id filter of links, as a hidden field (no option list rendered)."""
    return django_filters.ModelChoiceFilter(
        queryset=Agency.objects.only("pk", "name"), widget=forms.HiddenInput,
        label=_("Instansi"), **kwargs)
