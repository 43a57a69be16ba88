import django_filters
from django.utils.translation import gettext_lazy as _

from kompeten.programs.models import Agency, Level
from kompeten.review import selectors


class QueueFilter(django_filters.FilterSet):
    """The queue's filter form; the filtering itself is selectors.filter_queue."""

    q = django_filters.CharFilter(label=_("Nama atau NIP"))
    level = django_filters.ModelChoiceFilter(label=_("Jenjang"),
                                             queryset=Level.objects.order_by("order"),
                                             empty_label=_("Semua jenjang"))
    province = django_filters.ChoiceFilter(label=_("Provinsi"),
                                           empty_label=_("Semua provinsi"))
    agency = django_filters.ModelChoiceFilter(label=_("Instansi"),
                                              queryset=Agency.objects.order_by("name"),
                                              empty_label=_("Semua instansi"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["province"].extra["choices"] = selectors.province_choices()

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return selectors.filter_queue(queryset, level=data.get("level"),
                                      agency=data.get("agency"),
                                      province=data.get("province") or "",
                                      q=data.get("q") or "")
