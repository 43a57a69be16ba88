"""What a registration's file has and lacks before it can be submitted.

The file is filled in by later apps (profile, work history and documents in participants,
the plan in actionplans); each registers its rules here from its ``AppConfig.ready()``, so
earlier apps (nominations, the agency's lists) can show what is missing without importing
them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kompeten.registration.models import Registration


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    done: bool


@dataclass(frozen=True)
class Rule:
    """Items of one part of the file: ``items`` reads what ``prepare`` loaded for a list."""

    name: str
    order: int
    items: Callable[[Registration], list[ChecklistItem]]
    prepare: Callable[[QuerySet[Registration]], QuerySet[Registration]] | None = None


_rules: dict[str, Rule] = {}


def register(rule: Rule) -> None:
    """Add (or replace, by name) a rule; called from an AppConfig.ready()."""
    _rules[rule.name] = rule


def rules() -> list[Rule]:
    return sorted(_rules.values(), key=lambda rule: (rule.order, rule.name))


def with_checklist_data(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """Annotate/prefetch what checklist() needs, so a list costs a fixed number of queries."""
    for rule in rules():
        if rule.prepare is not None:
            registrations = rule.prepare(registrations)
    return registrations


def checklist(registration: Registration) -> list[ChecklistItem]:
    """What a registration has and lacks before it can be submitted."""
    return [item for rule in rules() for item in rule.items(registration)]


def missing(registration: Registration) -> list[ChecklistItem]:
    return [item for item in checklist(registration) if not item.done]


def account_items(registration: Registration) -> list[ChecklistItem]:
    return [ChecklistItem("account", _("Akun dibuat (undangan dikonfirmasi)"),
                          registration.user_id is not None)]
