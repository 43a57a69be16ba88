"""The master data an organiser edits in the app: one spec per kind of record.

List, create and edit pages are shared; each spec says which model, fields,
columns and filters a kind has.
"""

import datetime
from dataclasses import dataclass

import django_filters
import django_tables2 as tables
from django.db.models import Model, Q
from django.forms import DateInput, ModelForm, modelform_factory
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kompeten.programs.models import (
    Agency,
    Batch,
    CompetencyUnit,
    Level,
    Module,
    Program,
    ProgramJP,
    ProgramModule,
    ProgramQualification,
    ProgramQuota,
    ProgramStage,
    ProgramUnit,
    Qualification,
    StageDate,
)


@dataclass(frozen=True)
class MasterKind:
    slug: str
    title: str
    model: type[Model]
    form_fields: tuple[str, ...]
    columns: tuple[str, ...]
    filters: tuple[str, ...] = ()
    search: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    widgets: dict | None = None

    @property
    def name(self) -> str:
        """The title inside a sentence ("Tambah komponen JP"): lower-case except acronyms."""
        title = str(self.title)
        return title if title[:2].isupper() else title[:1].lower() + title[1:]

    def form_class(self) -> type[ModelForm]:
        return modelform_factory(self.model, fields=self.form_fields, widgets=self.widgets)

    def table_class(self) -> type[tables.Table]:
        """Headers, sorting and paging; the cells are cells() drawn by the table's template
        in one loop (no per-cell column render call)."""
        edit = tables.Column(verbose_name=_("Tindakan"), orderable=False, empty_values=())
        attrs = {"Meta": type("Meta", (), {
            "model": self.model, "fields": self.columns,
            "attrs": {"class": "table table-sm table-hover align-middle"},
            "template_name": "programs/masterdata/_table.html",
        }), "edit": edit}
        return type(f"{self.model.__name__}Table", (tables.Table,), attrs)

    def cells(self, records) -> list[tuple[Model, list[tuple[str, str]]]]:
        """Each record of a page with its (header, shown value) per column."""
        fields = [self.model._meta.get_field(name) for name in self.columns]
        headers = [capfirst(field.verbose_name) for field in fields]
        return [(record, [(header, _shown(record, field))
                          for header, field in zip(headers, fields, strict=True)])
                for record in records]

    def filterset_class(self) -> type[django_filters.FilterSet]:
        attrs = {"Meta": type("Meta", (), {"model": self.model, "fields": list(self.filters)})}
        if self.search:
            attrs["q"] = django_filters.CharFilter(
                method="search_text", label=_("Cari"),
            )
            search_fields = self.search

            def search_text(self, queryset, _name, value):
                condition = Q()
                for name in search_fields:
                    condition |= Q(**{f"{name}__icontains": value})
                return queryset.filter(condition)

            attrs["search_text"] = search_text
        return type(f"{self.model.__name__}FilterSet", (django_filters.FilterSet,), attrs)

    def queryset(self):
        return self.model.objects.select_related(*self.related)


def _shown(record: Model, field) -> str:
    """A field's value as the list shows it: the label of a choice, the related record's
    name, Ya/Tidak, a date as d M Y, "—" for nothing."""
    if field.choices:
        value = getattr(record, f"get_{field.name}_display")()
    elif field.is_relation:
        value = getattr(record, field.name)
    else:
        value = getattr(record, field.attname)
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("Ya") if value else _("Tidak"))
    if isinstance(value, datetime.date):
        return date_format(value, "j M Y")
    return str(value)


def _date_input() -> DateInput:
    return DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


KINDS: dict[str, MasterKind] = {
    kind.slug: kind
    for kind in [
        MasterKind(
            "jenjang", _("Jenjang"), Level, ("code", "name", "order"),
            ("order", "code", "name"),
        ),
        MasterKind(
            "kualifikasi", _("Kualifikasi"), Qualification, ("code", "name", "level", "scope"),
            ("name", "level", "scope"), filters=("level", "scope"), related=("level",),
        ),
        MasterKind(
            "unit-kompetensi", _("Unit kompetensi"), CompetencyUnit,
            ("qualification", "order", "code", "title", "code_is_demo"),
            ("qualification", "order", "code", "title", "code_is_demo"),
            filters=("qualification", "code_is_demo"), search=("code", "title"),
            related=("qualification",),
        ),
        MasterKind(
            "modul", _("Modul"), Module, ("level", "order", "title"),
            ("level", "order", "title"), filters=("level",), related=("level",),
        ),
        MasterKind(
            "instansi", _("Instansi"), Agency,
            ("code", "name", "kind", "province", "email", "is_demo"),
            ("code", "name", "kind", "province", "email"),
            filters=("kind", "province", "is_demo"), search=("code", "name"),
        ),
        MasterKind(
            "penyelenggaraan", _("Penyelenggaraan"), Program,
            ("code", "year", "name", "signatory_name", "signatory_nip", "signatory_title",
             "is_active", "is_current", "group_min_size", "group_max_size",
             "dorm_arrival_night_before"),
            ("code", "year", "name", "is_active", "is_current", "group_min_size",
             "group_max_size"),
        ),
        MasterKind(
            "jp", _("Komponen JP"), ProgramJP, ("program", "kind", "jp"),
            ("program", "kind", "jp"), filters=("program",), related=("program",),
        ),
        MasterKind(
            "tahapan", _("Tahapan"), ProgramStage,
            ("program", "number", "kind", "date", "end_date", "activity", "note"),
            ("program", "number", "kind", "date", "end_date", "activity"),
            filters=("program", "kind"), related=("program",),
            widgets={"date": _date_input(), "end_date": _date_input()},
        ),
        MasterKind(
            "tanggal-tahapan-jenjang", _("Tanggal tahapan per jenjang"), StageDate,
            ("stage", "level", "date", "end_date"), ("stage", "level", "date", "end_date"),
            filters=("stage__program", "level"), related=("stage", "level"),
            widgets={"date": _date_input(), "end_date": _date_input()},
        ),
        MasterKind(
            "modul-penyelenggaraan", _("Modul per penyelenggaraan"), ProgramModule,
            ("program", "level", "order", "title"), ("program", "level", "order", "title"),
            filters=("program", "level"), related=("program", "level"),
        ),
        MasterKind(
            "kualifikasi-penyelenggaraan", _("Kualifikasi per penyelenggaraan"),
            ProgramQualification, ("program", "code", "name", "level", "scope"),
            ("program", "name", "level", "scope"), filters=("program", "level"),
            related=("program", "level"),
        ),
        MasterKind(
            "unit-penyelenggaraan", _("Unit kompetensi per penyelenggaraan"), ProgramUnit,
            ("qualification", "order", "code", "title"),
            ("qualification", "order", "code", "title"),
            filters=("qualification__program", "qualification"), search=("code", "title"),
            related=("qualification", "qualification__program"),
        ),
        MasterKind(
            "kuota", _("Kuota per instansi"), ProgramQuota,
            ("program", "level", "seats_per_agency"), ("program", "level", "seats_per_agency"),
            filters=("program",), related=("program", "level"),
        ),
        MasterKind(
            "angkatan", _("Angkatan"), Batch,
            ("program", "number", "level", "start_date", "end_date", "capacity", "venue"),
            ("program", "number", "level", "start_date", "end_date", "capacity", "venue"),
            filters=("program", "level"), related=("program", "level"),
            widgets={"start_date": _date_input(), "end_date": _date_input()},
        ),
    ]
}
