"""The participant's part of the registration checklist: profile, work history, documents."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from kompeten.participants.models import (
    REQUIRED_DOCUMENTS,
    Document,
    DocumentKind,
    WorkHistoryEntry,
)
from kompeten.registration.checklist import ChecklistItem, Rule
from kompeten.registration.models import Registration


def _profile_items(registration: Registration) -> list[ChecklistItem]:
    history = getattr(registration, "has_work_history", None)
    if history is None:
        history = registration.work_history.exists()
    return [
        ChecklistItem("profile", _("Profil dan mentor/atasan langsung"),
                      bool(registration.phone and registration.mentor_name
                           and registration.mentor_email)),
        ChecklistItem("work_history", _("Riwayat pekerjaan (minimal satu jabatan)"), history),
    ]


def _with_work_history(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """has_work_history per row: an EXISTS, not a COUNT with GROUP BY (which made a paged
    list aggregate every registration of the programme before its LIMIT)."""
    return registrations.annotate(has_work_history=Exists(
        WorkHistoryEntry.objects.filter(registration=OuterRef("pk"))))


def _document_items(registration: Registration) -> list[ChecklistItem]:
    if hasattr(registration, "current_documents"):
        kinds = {d.kind for d in registration.current_documents}
    else:
        kinds = set(registration.documents.filter(is_current=True).values_list("kind", flat=True))
    return [ChecklistItem(f"document_{kind}", DocumentKind(kind).label, kind in kinds)
            for kind in REQUIRED_DOCUMENTS]


def _with_current_documents(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    return registrations.prefetch_related(
        Prefetch("documents", queryset=Document.objects.filter(is_current=True),
                 to_attr="current_documents"))


RULES = [
    Rule("profile", 20, _profile_items, _with_work_history),
    Rule("documents", 50, _document_items, _with_current_documents),
]
