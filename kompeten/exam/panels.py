"""The exam blocks of the home pages (see common.panels)."""

from django.utils import timezone

from kompeten.accounts.models import Role
from kompeten.common.panels import Panel, register
from kompeten.exam import selectors, services


def participant(request, program, subject) -> dict | None:
    placement = selectors.placement_of(request.user)
    if placement is None:
        return None
    session = selectors.open_session_of(placement)
    attempt = None
    if session is not None:
        attempt = session.attempts.filter(registration=placement.registration).first()
    return {"placement": placement, "session": session, "attempt": attempt,
            "seconds_left": services.seconds_left(attempt, timezone.now()) if attempt else 0}


def assessor(request, program, subject) -> dict | None:
    return {"sessions": list(selectors.sessions_for(request.user)[:5])}


def organiser(request, program, subject) -> dict | None:
    return {"program": program} if program is not None else None


def register_panels() -> None:
    register(Panel("home", "exam_organiser", "exam/_home_organiser.html", organiser,
                   order=65, roles=frozenset({Role.ORGANISER})))
    register(Panel("home", "exam_participant", "exam/_home_participant.html", participant,
                   order=25, roles=frozenset({Role.PARTICIPANT})))
    register(Panel("home", "exam_assessor", "exam/_home_assessor.html", assessor,
                   order=20, roles=frozenset({Role.ASSESSOR})))
