import django_filters
from django.utils.translation import gettext_lazy as _

from kompeten.programs.agency_filter import (
    SEARCH_MAX_LENGTH,
    AgencySearchFilter,
    agency_id_filter,
)
from kompeten.programs.models import Level
from kompeten.review import selectors


class QueueFilter(django_filters.FilterSet):
    """The queue's filter form; the filtering itself is selectors.filter_queue."""

    q = django_filters.CharFilter(label=_("Nama atau NIP"), max_length=SEARCH_MAX_LENGTH)
    level = django_filters.ModelChoiceFilter(label=_("Jenjang"),
                                             queryset=Level.objects.order_by("order"),
                                             empty_label=_("Semua jenjang"))
    province = django_filters.ChoiceFilter(label=_("Provinsi"),
                                           empty_label=_("Semua provinsi"))
    # A text field (name or code), not a select of every agency (2,000 at national
    # scale); the id filter of links (?agency=<id>) stays as a hidden field.
    instansi = AgencySearchFilter()
    agency = agency_id_filter()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["province"].extra["choices"] = selectors.province_choices()

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        queryset = self.filters["instansi"].filter(queryset, data.get("instansi"))
        return selectors.filter_queue(queryset, level=data.get("level"),
                                      agency=data.get("agency"),
                                      province=data.get("province") or "",
                                      q=data.get("q") or "")
