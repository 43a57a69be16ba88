"""Reads of documents, work history and nomination letters, scoped like registrations."""

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404

from kompeten.accounts.models import Role, User
from kompeten.common.models import StoredFile
from kompeten.common.uploads import EXTENSIONS, type_list
from kompeten.nominations.selectors import letters_visible_to
from kompeten.participants.document_services import ALLOWED_TYPES
from kompeten.participants.models import (
    REQUIRED_DOCUMENTS,
    Document,
    DocumentKind,
    WorkHistoryEntry,
)
from kompeten.registration.models import Registration
from kompeten.registration.selectors import registrations_visible_to


@dataclass
class DocumentSlot:
    """One required document: what is there now and what it replaced."""

    kind: str
    label: str
    types: str  # "PDF/JPEG/PNG"
    accept: str  # for <input accept>
    current: Document | None = None
    history: list[Document] = field(default_factory=list)


def document_slots(registration: Registration) -> list[DocumentSlot]:
    """The four required documents with their files (one query)."""
    slots = {}
    for kind in REQUIRED_DOCUMENTS:
        allowed = ALLOWED_TYPES[kind]
        accept = ",".join(sorted(allowed) + sorted(f".{EXTENSIONS[t]}" for t in allowed))
        slots[kind] = DocumentSlot(kind=kind, label=DocumentKind(kind).label,
                                   types=type_list(allowed), accept=accept)
    documents = (Document.objects.filter(registration=registration)
                 .select_related("stored").order_by("kind", "-created_at", "-pk"))
    for document in documents:
        slot = slots.get(document.kind)
        if slot is None:
            continue
        if document.is_current:
            slot.current = document
        else:
            slot.history.append(document)
    return list(slots.values())


def work_history_of(registration: Registration) -> QuerySet[WorkHistoryEntry]:
    return registration.work_history.order_by("-start_date", "-pk")


def stored_file_for(*, user: User, pk: int) -> StoredFile:
    """A stored file the user may download, or 404.

    A document's file follows its registration (participant own, operator own
    agency, organiser all); a letter's file follows its agency.
    """
    stored = StoredFile.objects.filter(pk=pk).first()
    if stored is None:
        raise Http404
    visible = registrations_visible_to(user=user)
    if Document.objects.filter(stored=stored, registration__in=visible).exists():
        return stored
    if user.role in (Role.ORGANISER, Role.OPERATOR) and letters_visible_to(user=user).filter(
            document=stored).exists():
        return stored
    raise Http404
