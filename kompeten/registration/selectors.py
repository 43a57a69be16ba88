"""Reads of the registration app; agency scoping is kompeten.access.rules.scope_to_agency."""


from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from kompeten.access.rules import scope_to_agency
from kompeten.accounts.models import Role, User
from kompeten.programs.models import Level, Program
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


def status_counts(*, program: Program, **extra) -> list[dict]:
    """The programme's registrations per level and status (declined included): dicts of
    level_id, level_name, level_order, status, n and the ``extra`` aggregates (a later
    stage's count over a relation, e.g. the seated officials), in level order; one query.

    Grouped on the registrations alone: the level's name and order are read once per group
    (a few dozen rows), not joined to each of the programme's registrations."""
    level = Level.objects.filter(pk=OuterRef("level_id")).order_by()
    return list(Registration.objects.filter(program=program)
                .values("level_id", "status")
                .annotate(n=Count("id"), **extra)
                .annotate(level_name=Subquery(level.values("name")),
                          level_order=Subquery(level.values("order")))
                .order_by("level_order", "level_id", "status"))


def status_totals(*, program: Program) -> dict[str, int]:
    """The programme's registrations per status (every level, declined included); one
    query."""
    return dict(Registration.objects.filter(program=program).order_by()
                .values_list("status").annotate(n=Count("id")))


def funnel_from_counts(counts: list[dict]) -> list[dict]:
    """Per level: how many got at least as far as each step, from status_counts() (the
    declined officials are left out). "sent_back" is not a step further but the files now
    waiting for the participant's correction."""
    # Every status after "submitted" (revision, accepted, rejected) was complete once.
    complete = {Status.SUBMITTED, Status.REVISION, Status.ACCEPTED, Status.REJECTED}
    steps = {"invited": {Status.INVITED, Status.REGISTERED, *complete},
             "registered": {Status.REGISTERED, *complete},
             "complete": complete,
             "sent_back": {Status.REVISION},
             "accepted": {Status.ACCEPTED}}
    rows: dict[int, dict] = {}
    for count in counts:
        if count["status"] == Status.DECLINED:
            continue
        row = rows.get(count["level_id"])
        if row is None:
            row = rows[count["level_id"]] = {
                "level_id": count["level_id"], "level__name": count["level_name"],
                "level__order": count["level_order"], "nominated": 0,
                **dict.fromkeys(steps, 0)}
        row["nominated"] += count["n"]
        for key, statuses in steps.items():
            if count["status"] in statuses:
                row[key] += count["n"]
    return list(rows.values())


def funnel_by_level(*, program: Program) -> list[dict]:
    """Per level: how many got at least as far as each step (one query; see
    funnel_from_counts). The query counts per level and status (a few dozen rows); the
    steps are summed here: cheaper to build and to run than one filtered count per step."""
    return funnel_from_counts(status_counts(program=program))


def status_history(*, registration: Registration) -> QuerySet[StatusLog]:
    return registration.status_log.select_related("by").order_by("at", "pk")


def current_invitation(*, registration: Registration) -> Invitation | None:
    """The open (unused, not replaced) invitation with its e-mail, if any."""
    return (registration.invitations.select_related("mail")
            .filter(revoked=False, used_at__isnull=True).order_by("-sent_at", "-pk").first())
