"""Filters of the nomination list and its Excel export (agency scoping stays in selectors)."""

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kompeten.accounts.models import Role, User
from kompeten.programs.agency_filter import (
    SEARCH_MAX_LENGTH,
    AgencySearchFilter,
    agency_id_filter,
)
from kompeten.programs.models import PROVINCE_CHOICES, Level, Program
from kompeten.registration.models import Invitation, Registration, Status
from kompeten.registration.selectors import registrations_visible_to


class NominationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari nama atau NIP"),
                                  max_length=SEARCH_MAX_LENGTH)
    # A text field, not a select of every agency (2,000 at national scale); the id filter
    # of links (?agency=<id>) stays as a hidden field.
    instansi = AgencySearchFilter()
    agency = agency_id_filter()
    province = django_filters.ChoiceFilter(
        field_name="agency__province", choices=PROVINCE_CHOICES, label=_("Provinsi"),
        empty_label=_("Semua provinsi"))
    level = django_filters.ModelChoiceFilter(
        queryset=Level.objects.all(), label=_("Jenjang"), empty_label=_("Semua jenjang"))
    status = django_filters.ChoiceFilter(
        choices=Status.choices, label=_("Status"), empty_label=_("Semua kecuali ditolak"))
    mail = django_filters.ChoiceFilter(
        method="by_invitation_mail", label=_("E-mail undangan"), empty_label=_("Semua"),
        choices=[("failed", _("Gagal terkirim"))])

    class Meta:
        model = Registration
        fields = ["q", "instansi", "agency", "province", "level", "status", "mail"]

    def __init__(self, data=None, queryset=None, *, user: User, **kwargs):
        super().__init__(data, queryset, **kwargs)
        if user.role != Role.ORGANISER:
            # An operator sees one agency anyway; the choice would list the others.
            del self.filters["agency"]
            del self.filters["instansi"]

    def search(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        value = value.strip()
        nip = value.replace(" ", "")
        condition = Q(full_name__icontains=value) | Q(plain_name__icontains=value)
        if nip.isdigit():
            condition |= Q(nip__startswith=nip)
        return queryset.filter(condition)

    def by_invitation_mail(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        failed = Invitation.objects.filter(registration=OuterRef("pk"), revoked=False,
                                           used_at__isnull=True, mail__status=value)
        return queryset.filter(Exists(failed), status=Status.INVITED)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.exclude(status=Status.DECLINED)
        return queryset


def filtered_nominations(*, user: User, program: Program, data) -> NominationFilter:
    """The user's visible nominations with the list's filters applied (declined only on request).

    Use .qs for the rows and .form for the filter form.
    """
    return NominationFilter(data if data is not None else {},
                            queryset=registrations_visible_to(user=user, program=program),
                            user=user)
