"""The filters every report shares: programme, level, agency, province, batch. The form is a
django-filter FilterSet; the chosen values become a Criteria that each report applies to its
own table (through the path from that table to the registration)."""

from dataclasses import dataclass

import django_filters
from django.db.models import Q, QuerySet
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from kompeten.access.rules import scope_to_agency
from kompeten.accounts.models import Role, User
from kompeten.programs.models import PROVINCE_CHOICES, Agency, Batch, Level, Program
from kompeten.programs.selectors import current_program
from kompeten.registration.models import Registration

ALL_PROGRAMS = "semua"


def _noop(queryset, _name, _value):
    return queryset


class ReportFilter(django_filters.FilterSet):
    tahun = django_filters.ChoiceFilter(label=_("Penyelenggaraan"), method=_noop,
                                        empty_label=None)
    level = django_filters.ModelChoiceFilter(
        queryset=Level.objects.all(), label=_("Jenjang"), empty_label=_("Semua jenjang"),
        method=_noop)
    agency = django_filters.ModelChoiceFilter(
        queryset=Agency.objects.none(), label=_("Instansi"),
        empty_label=_("Semua instansi"), method=_noop)
    # Thousands of agencies nationally: a text search (part of the name) instead of a
    # <select> of every one; "agency" (an id) still narrows to one agency from a link.
    instansi = django_filters.CharFilter(label=_("Instansi"), method=_noop, max_length=100)
    province = django_filters.ChoiceFilter(
        choices=PROVINCE_CHOICES, label=_("Provinsi"), empty_label=_("Semua provinsi"),
        method=_noop)
    batch = django_filters.ModelChoiceFilter(
        queryset=Batch.objects.none(), label=_("Angkatan"), empty_label=_("Semua angkatan"),
        method=_noop)

    # Thousands of batches nationally: the batch's number instead of a <select> of every
    # one; "batch" (an id) still narrows to one batch from a link.
    angkatan = django_filters.NumberFilter(label=_("Angkatan"), method=_noop, min_value=1,
                                           max_value=32767)

    class Meta:
        model = Registration
        fields: list[str] = []

    def __init__(self, data, *, user: User, programs: list[Program], program: Program | None,
                 allow_all: bool):
        super().__init__(data, queryset=Registration.objects.none())
        choices = [(p.code, f"{p.code} · {p.name}") for p in programs]
        if allow_all:
            choices.insert(0, (ALL_PROGRAMS, str(_("Semua tahun"))))
        self.filters["tahun"].extra["choices"] = choices
        self.filters["agency"].queryset = scope_to_agency(
            Agency.objects.order_by("name").only("pk", "name"), user, field="pk")
        self.filters["batch"].queryset = (
            Batch.objects.filter(program=program).select_related("level")
            .order_by("number") if program else Batch.objects.none())
        if user.role != Role.ORGANISER:
            del self.filters["province"]


@dataclass(frozen=True)
class Criteria:
    """The chosen filters (None: all). ``agency_scope`` is the operator's own agency, applied
    whatever was asked."""

    program: Program | None
    level: Level | None = None
    agency: Agency | None = None
    province: str = ""
    batch: Batch | None = None
    agency_scope: int | None = None
    agency_name: str = ""  # part of the agency's name (the filter's text search)
    batch_number: int | None = None  # the batch's number (the filter's number field)

    def q(self, to_registration: str = "") -> Q:
        """The condition on a table whose path to the registration is ``to_registration``
        ("" for Registration itself, "registration__" for a table with that FK)."""
        p = to_registration
        condition = Q()
        if self.program is not None:
            condition &= Q(**{f"{p}program": self.program})
        if self.level is not None:
            condition &= Q(**{f"{p}level": self.level})
        if self.agency is not None:
            condition &= Q(**{f"{p}agency": self.agency})
        if self.province:
            condition &= Q(**{f"{p}agency__province": self.province})
        if self.agency_name:
            condition &= Q(**{f"{p}agency__name__icontains": self.agency_name})
        if self.batch_number is not None:
            condition &= Q(**{f"{p}placement__batch__number": self.batch_number})
        if self.batch is not None:
            condition &= Q(**{f"{p}placement__batch": self.batch})
        if self.agency_scope is not None:
            condition &= Q(**{f"{p}agency_id": self.agency_scope})
        return condition

    def apply(self, queryset: QuerySet, to_registration: str = "") -> QuerySet:
        return queryset.filter(self.q(to_registration))

    def as_query(self) -> dict[str, str]:
        """The filters as GET parameters (for the export link)."""
        values = {"tahun": self.program.code if self.program else ALL_PROGRAMS}
        if self.level:
            values["level"] = str(self.level.pk)
        if self.agency:
            values["agency"] = str(self.agency.pk)
        if self.province:
            values["province"] = self.province
        if self.agency_name:
            values["instansi"] = self.agency_name
        if self.batch_number is not None:
            values["angkatan"] = str(self.batch_number)
        if self.batch:
            values["batch"] = str(self.batch.pk)
        return values


@dataclass
class Resolved:
    filterset: ReportFilter
    criteria: Criteria
    refused_agency: bool  # an operator asked for another agency: ignored

    @property
    def agency_search(self) -> dict:
        """The agency filter's text search (the rows of agencies whose name holds it)."""
        field = self.filterset.form["instansi"]
        return {"id": field.id_for_label, "name": field.html_name, "label": field.label,
                "value": self.criteria.agency_name, "agency": self.criteria.agency,
                "invalid": bool(field.errors)}

    @property
    def batch_search(self) -> dict:
        """The batch filter: the batch's number."""
        field = self.filterset.form["angkatan"]
        value = self.criteria.batch_number
        if value is None and self.criteria.batch is not None:
            value = self.criteria.batch.number
        return {"id": field.id_for_label, "name": field.html_name, "label": field.label,
                "value": "" if value is None else value, "invalid": bool(field.errors)}

    @property
    def selects(self) -> list[dict]:
        """The filter form's selects with their options as HTML, written here: Django's
        per-option widget templates cost about a millisecond per option (319 agencies)."""
        fields = []
        for field in self.filterset.form:
            if field.name in ("agency", "instansi", "batch", "angkatan"):
                continue  # text/number fields (agency_search, batch_search), not selects
            current = "" if field.value() is None else str(field.value())
            options = "".join(
                format_html('<option value="{}"{}>{}</option>', value,
                            mark_safe(" selected") if str(value) == current else "", label)
                for value, label in field.field.choices)
            fields.append({"id": field.id_for_label, "name": field.html_name,
                           "label": field.label, "invalid": bool(field.errors),
                           "options": mark_safe(options)})  # noqa: S308 - format_html above
        return fields


def resolve(data, *, user: User, allow_all: bool = False, default_all: bool = False
            ) -> Resolved:
    """The filter form and the criteria of a report request for ``user``."""
    programs = list(Program.objects.order_by("-year", "-code"))
    code = data.get("tahun") or (ALL_PROGRAMS if default_all and allow_all else "")
    program: Program | None
    if code == ALL_PROGRAMS and allow_all:
        program = None
    else:
        program = next((p for p in programs if p.code == code), None) or current_program()
    bound = data.copy()
    bound["tahun"] = program.code if program else ALL_PROGRAMS
    filterset = ReportFilter(bound, user=user, programs=programs, program=program,
                             allow_all=allow_all)
    filterset.form.is_valid()
    cleaned = getattr(filterset.form, "cleaned_data", {})
    refused = "agency" in filterset.form.errors
    # An operator without an agency sees nothing (agency 0 matches no row).
    scope = (user.agency_id or 0) if user.role == Role.OPERATOR else None
    criteria = Criteria(program=program, level=cleaned.get("level"),
                        agency=cleaned.get("agency"), province=cleaned.get("province") or "",
                        batch=cleaned.get("batch"), agency_scope=scope,
                        agency_name=(cleaned.get("instansi") or "").strip(),
                        batch_number=(int(cleaned["angkatan"]) if cleaned.get("angkatan")
                                      else None))
    return Resolved(filterset, criteria, refused)
