"""Everything the system holds about one participant (UU PDP 27/2022, the right of access):
the account, each registration and every row of every app that points to it, found through
the models' relations so that a later app's tables are included without changes here."""

import datetime as dt
import decimal
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone

from kompeten.accounts.models import User
from kompeten.programs.models import Program
from kompeten.registration.models import Registration

# Credentials and internal plumbing, never part of an export.
SECRET_FIELDS = {"password", "token_hash", "client_id", "sha256", "file"}
# Rows about the person kept by the system itself (the data-rights log) or of no meaning
# to them (read cursors).
SKIPPED_MODELS = {"reports.datarightslog", "elearning.threadread", "elearning.digestcursor",
                  "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog",
                  "admin.logentry", "accounts.loginfailure"}
MAX_DEPTH = 2


@dataclass
class Section:
    title: str
    rows: list[dict] = field(default_factory=list)


@dataclass
class PersonalData:
    account: dict
    registrations: list[tuple[str, dict, list[Section]]]  # (programme, fields, sections)

    def as_json(self) -> dict:
        return {
            "akun": self.account,
            "pendaftaran": [
                {"penyelenggaraan": program, "data": fields,
                 "terkait": {s.title: s.rows for s in sections}}
                for program, fields, sections in self.registrations],
        }


def _value(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else \
            value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    return value


def serialise(obj: models.Model) -> dict:
    data = {}
    for f in obj._meta.concrete_fields:
        if f.name in SECRET_FIELDS:
            continue
        if f.is_relation:
            related = getattr(obj, f.name, None)
            data[str(f.verbose_name)] = str(related) if related is not None else None
        else:
            data[str(f.verbose_name)] = _value(f.value_from_object(obj))
    return data


def _reverse_relations(model: type[models.Model]):
    for f in model._meta.get_fields(include_hidden=True):
        if (f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one)
                and f.related_model._meta.label_lower not in SKIPPED_MODELS):
            yield f


def _forward(model: type[models.Model]) -> list[str]:
    """The model's own foreign keys, loaded with its rows (serialise() names them)."""
    return [f.name for f in model._meta.concrete_fields
            if f.is_relation and f.name not in SECRET_FIELDS]


def _sections_of(objs: list[models.Model], depth: int, seen: set) -> dict:
    """The sections of every object of ``objs`` (all of one model), by pk: one query per
    relation and level for all the objects together, whatever their number."""
    result: dict = {obj.pk: [] for obj in objs}
    if not objs:
        return result
    model = objs[0]._meta.model
    for relation in _reverse_relations(model):
        related = relation.related_model
        if related in seen:
            continue
        field_ = relation.field
        rows = list(related._default_manager.filter(**{f"{field_.name}__in": objs})
                    .select_related(*_forward(related)).order_by("pk"))
        children = (_sections_of(rows, depth + 1, seen | {model, related})
                    if depth < MAX_DEPTH else {})
        by_parent: dict = defaultdict(list)
        for row in rows:
            by_parent[getattr(row, field_.attname)].append(row)
        title = str(related._meta.verbose_name_plural)
        for obj in objs:
            section = Section(title)
            for row in by_parent.get(getattr(obj, field_.target_field.attname), []):
                section.rows.append(serialise(row))
                for child in children.get(row.pk, []):
                    section.rows.append({"__bagian__": child.title, "baris": child.rows})
            if section.rows:
                result[obj.pk].append(section)
    return result


def _sections(obj: models.Model, depth: int, seen: set) -> list[Section]:
    return _sections_of([obj], depth, seen)[obj.pk]


def registrations_of_person(user: User) -> list[Registration]:
    return list(Registration.objects.filter(user=user).select_related(
        "program", "agency", "level").order_by("program__year", "pk"))


def personal_data(user: User) -> PersonalData:
    account = {"username": user.username, "nama": user.get_full_name(), "e-mail": user.email,
               "peran": user.get_role_display(), "bergabung": _value(user.date_joined),
               "login terakhir": _value(user.last_login)}
    registrations = []
    own = list(Registration.objects.filter(user=user).select_related(
        *_forward(Registration)).order_by("program__year", "pk"))
    sections = _sections_of(own, 1, {Registration})
    for registration in own:
        program: Program = registration.program
        registrations.append((f"{program.code} · {program.name}", serialise(registration),
                              sections[registration.pk]))
    user_sections = [s for s in _sections(user, MAX_DEPTH, {Registration, User})
                     if s.title != str(Registration._meta.verbose_name_plural)]
    if user_sections:
        registrations.append(("", {}, user_sections))
    return PersonalData(account, registrations)
