"""Reads of documents, work history and nomination letters, scoped like registrations."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from kompeten.accounts.models import Role, User
from kompeten.programs.models import Agency, Program
from kompeten.programs.selectors import agencies_visible_to
from kompeten.registration.document_services import ALLOWED_TYPES
from kompeten.registration.models import (
    REQUIRED_DOCUMENTS,
    Document,
    DocumentKind,
    NominationLetter,
    Registration,
    Status,
    StoredFile,
    WorkHistoryEntry,
)
from kompeten.registration.selectors import registrations_visible_to
from kompeten.registration.uploads import EXTENSIONS, type_list


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


def letters_visible_to(*, user: User, program: Program | None = None
                       ) -> QuerySet[NominationLetter]:
    """Organisers see every agency's letters, operators their own agency's, others none."""
    letters = NominationLetter.objects.select_related("agency", "document", "uploaded_by")
    if program is not None:
        letters = letters.filter(program=program)
    return letters.filter(agency__in=agencies_visible_to(user=user))


def current_letter(*, program: Program, agency: Agency) -> NominationLetter | None:
    return (NominationLetter.objects.select_related("document")
            .filter(program=program, agency=agency, is_current=True).first())


def agencies_without_letter(*, program: Program) -> QuerySet[Agency]:
    """Agencies that nominated someone but have no current letter yet (one query)."""
    nominated = Registration.objects.filter(program=program, agency=OuterRef("pk")).exclude(
        status=Status.DECLINED)
    lettered = NominationLetter.objects.filter(program=program, agency=OuterRef("pk"),
                                               is_current=True)
    return Agency.objects.filter(Exists(nominated)).exclude(Exists(lettered)).order_by("name")


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
