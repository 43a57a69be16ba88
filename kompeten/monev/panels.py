"""Monev blocks of the home pages (see common.panels): the organiser's links and the
participant's open questionnaires."""

from django.db.models import F, Func, IntegerField, Subquery
from django.utils import timezone

from kompeten.accounts.models import Role
from kompeten.common.panels import Panel, register
from kompeten.monev.models import Audience, Invitation, Wave
from kompeten.programs.models import Program


def organiser(request, program, subject) -> dict | None:
    """The last five programmes with waves, and how many waves (of any programme) are open
    today: one query, the count a scalar subquery on each row (no programme with waves
    means no wave at all, so no row means none open)."""
    today = timezone.localdate()
    open_now = (Wave.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by()
                .values(n=Func(F("pk"), function="COUNT")))
    rows = list(Program.objects.filter(monev_waves__isnull=False).distinct()
                .order_by("-year", "-code")
                .values_list("code", Subquery(open_now, output_field=IntegerField()))[:5])
    return {"program": program, "with_waves": [code for code, _ in rows],
            "open_now": rows[0][1] if rows else 0}


def participant(request, program, subject) -> dict | None:
    """Shown once the participant has been invited to any wave; lists the open ones."""
    today = timezone.localdate()
    invitations = list(Invitation.objects.filter(
        registration__user=request.user, audience=Audience.PARTICIPANT,
        revoked_at__isnull=True, wave__opens_on__lte=today)
        .select_related("wave", "response").order_by("wave__closes_on"))
    if not invitations:
        return None
    pending = [i for i in invitations if i.wave.closes_on >= today and not (
        hasattr(i, "response") and i.response.submitted_at)]
    return {"pending": pending}


def register_panels() -> None:
    register(Panel("home", "monev_organiser", "monev/_home_organiser.html", organiser,
                   order=70, roles=frozenset({Role.ORGANISER})))
    register(Panel("home", "monev_participant", "monev/_home_participant.html", participant,
                   order=5, roles=frozenset({Role.PARTICIPANT})))
