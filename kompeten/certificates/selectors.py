"""Reads of certificates, scoped to who asks: the organiser every one, an agency operator
their officials', a participant their own; another's is a 404."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from kompeten.access.rules import scope_to_agency
from kompeten.accounts.models import Role, User
from kompeten.certificates.models import Certificate, IssueRun, Kind, SiasnExport
from kompeten.programs.models import Batch, Program


def valid_certificates(*, program: Program | None = None) -> QuerySet[Certificate]:
    """Certificates in force: not revoked (so the latest version of each)."""
    found = Certificate.objects.filter(revoked_at__isnull=True)
    if program is not None:
        found = found.filter(program=program)
    return found


def visible_to(user: User) -> QuerySet[Certificate]:
    everything = Certificate.objects.select_related("program", "batch", "registration")
    if not user.is_authenticated:
        return everything.none()
    if user.role == Role.PARTICIPANT:
        return everything.filter(registration__user=user)
    return scope_to_agency(everything, user, "registration__agency")


def certificate_for(*, user: User, pk: int) -> Certificate:
    found = visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def mine(user: User) -> list[Certificate]:
    """The participant's certificates, every version, the valid ones first."""
    return list(visible_to(user).order_by("revoked_at", "-issued_at"))


def by_public_id(public_id: str) -> Certificate | None:
    if not public_id or len(public_id) > 64:
        return None
    return (Certificate.objects.select_related("program", "replaced_by")
            .filter(public_id=public_id).first())


def search(*, number: str, name: str) -> Certificate | None:
    """A phone caller's check: the exact number plus the name (titles and case ignored);
    both must match, so a number alone reveals nothing."""
    number, words = number.strip(), name.lower().split()
    if not number or not words:
        return None
    for certificate in Certificate.objects.select_related("program").filter(number=number):
        name_words = certificate.full_name.lower().replace(",", " ").split()
        if all(word.strip(",") in name_words for word in words):
            return certificate
    return None


def batch_summary(*, program: Program, batches=None) -> list[Batch]:
    """The batches (by default every batch of the programme) with the valid certificates
    of each kind (one query)."""
    if batches is None:
        batches = Batch.objects.filter(program=program)
    return list(Batch.objects.filter(pk__in=[b.pk for b in batches]).select_related(
        "level").annotate(
        placed=Count("placements", distinct=True),
        training=Count(
            "placements__registration__certificates",
            filter=Q(placements__registration__certificates__kind=Kind.TRAINING,
                     placements__registration__certificates__revoked_at__isnull=True),
            distinct=True),
        competence=Count(
            "placements__registration__certificates",
            filter=Q(placements__registration__certificates__kind=Kind.COMPETENCE,
                     placements__registration__certificates__revoked_at__isnull=True),
            distinct=True),
    ).order_by("number"))


def runs_of(*, batch: Batch) -> list[IssueRun]:
    return list(IssueRun.objects.filter(batch=batch).order_by("-created_at")[:5])


def run(*, pk: int) -> IssueRun:
    found = IssueRun.objects.select_related("program", "batch").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def siasn_rows(*, user: User, program: Program) -> QuerySet[Certificate]:
    """Valid certificates of the programme the user may export (an operator: their own
    agency's officials only)."""
    return (scope_to_agency(valid_certificates(program=program), user, "registration__agency")
            .select_related("registration__agency", "batch", "program")
            .order_by("registration__agency__name", "full_name", "kind"))


def siasn_export_rows(export: SiasnExport) -> QuerySet[Certificate]:
    """What an export job writes: siasn_rows() of the user who asked, frozen as the
    programme and (for an operator) their agency."""
    found = valid_certificates(program=export.program)
    if export.agency_id is not None:
        found = found.filter(registration__agency_id=export.agency_id)
    return (found.select_related("registration__agency", "batch", "program")
            .order_by("registration__agency__name", "full_name", "kind"))


def siasn_exports(*, user: User, program: Program) -> list[SiasnExport]:
    """The user's latest SIASN exports of the programme."""
    return list(SiasnExport.objects.filter(created_by=user, program=program)[:5])


def siasn_export(*, user: User, pk: int) -> SiasnExport:
    """One of the user's own exports (another user's: 404)."""
    found = SiasnExport.objects.select_related("program").filter(pk=pk, created_by=user).first()
    if found is None:
        raise Http404
    return found


def mask_nip(nip: str) -> str:
    if len(nip) < 8:
        return "*" * len(nip)
    return nip[:4] + "*" * (len(nip) - 7) + nip[-3:]
