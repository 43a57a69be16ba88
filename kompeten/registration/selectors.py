"""Reads of the registration app; agency scoping is kompeten.access.rules.scope_to_agency."""


from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from kompeten.access.rules import scope_to_agency
from kompeten.accounts.models import Role, User
from kompeten.programs.models import Program
from kompeten.registration.models import Invitation, Registration, Status, StatusLog


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
    ("sent_back", _("Dikembalikan")),
    ("accepted", _("Diterima")),
]


def funnel_by_level(*, program: Program) -> list[dict]:
    """Per level: how many got at least as far as each step (one query). "sent_back" is
    not a step further but the files now waiting for the participant's correction.

    The query counts per level and status (a few dozen rows); the steps are summed here:
    cheaper to build and to run than one filtered count per step."""
    # Every status after "submitted" (revision, accepted, rejected) was complete once.
    complete = {Status.SUBMITTED, Status.REVISION, Status.ACCEPTED, Status.REJECTED}
    steps = {"invited": {Status.INVITED, Status.REGISTERED, *complete},
             "registered": {Status.REGISTERED, *complete},
             "complete": complete,
             "sent_back": {Status.REVISION},
             "accepted": {Status.ACCEPTED}}
    counts = (Registration.objects.filter(program=program).exclude(status=Status.DECLINED)
              .values_list("level_id", "level__name", "level__order", "status")
              .annotate(n=Count("id")).order_by("level__order", "level_id"))
    rows: dict[int, dict] = {}
    for level_id, name, order, status, n in counts:
        row = rows.get(level_id)
        if row is None:
            row = rows[level_id] = {"level_id": level_id, "level__name": name,
                                    "level__order": order, "nominated": 0,
                                    **dict.fromkeys(steps, 0)}
        row["nominated"] += n
        for key, statuses in steps.items():
            if status in statuses:
                row[key] += n
    return list(rows.values())


def status_history(*, registration: Registration) -> QuerySet[StatusLog]:
    return registration.status_log.select_related("by").order_by("at", "pk")


def current_invitation(*, registration: Registration) -> Invitation | None:
    """The open (unused, not replaced) invitation with its e-mail, if any."""
    return (registration.invitations.select_related("mail")
            .filter(revoked=False, used_at__isnull=True).order_by("-sent_at", "-pk").first())
