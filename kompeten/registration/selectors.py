"""Reads of the registration app; agency scoping is kompeten.access.rules.scope_to_agency."""


from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from kompeten.access.rules import scope_to_agency
from kompeten.accounts.models import Role, User
from kompeten.programs.models import Program
from kompeten.registration.models import Registration, Status


def registrations_visible_to(*, user: User, program: Program | None = None
                             ) -> QuerySet[Registration]:
    """Organisers see all, operators their agency's, participants their own."""
    registrations = Registration.objects.select_related("agency", "level", "program")
    if program is not None:
        registrations = registrations.filter(program=program)
    if user.is_authenticated and user.role == Role.PARTICIPANT:
        return registrations.filter(user=user)
    return scope_to_agency(registrations, user)


def registration_for(*, user: User, pk: int) -> Registration:
    registration = registrations_visible_to(user=user).filter(pk=pk).first()
    if registration is None:
        raise Http404
    return registration


def own_registration(*, user: User, program: Program | None) -> Registration | None:
    if program is None or user.role != Role.PARTICIPANT:
        return None
    return (Registration.objects.select_related("agency", "level", "program")
            .filter(user=user, program=program).first())


FUNNEL = [
    ("nominated", _("Diusulkan")),
    ("invited", _("Diundang")),
    ("registered", _("Terdaftar")),
    ("complete", _("Berkas lengkap")),
]


def funnel_by_level(*, program: Program) -> list[dict]:
    """Per level: how many got at least as far as each step (one query)."""
    # Every status after "submitted" (revision, accepted, rejected) was complete once.
    complete = [Status.SUBMITTED, Status.REVISION, Status.ACCEPTED, Status.REJECTED]
    reached_invited = Q(status__in=[Status.INVITED, Status.REGISTERED, *complete])
    reached_registered = Q(status__in=[Status.REGISTERED, *complete])
    rows = (Registration.objects.filter(program=program).exclude(status=Status.DECLINED)
            .values("level__name", "level__order")
            .annotate(nominated=Count("id"), invited=Count("id", filter=reached_invited),
                      registered=Count("id", filter=reached_registered),
                      complete=Count("id", filter=Q(status__in=complete)))
            .order_by("level__order"))
    return list(rows)


