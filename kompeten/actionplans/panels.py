"""Panels of the action plan on the pages of earlier apps (see common.panels)."""

from kompeten.accounts.models import Role
from kompeten.common.panels import Panel, register

STAFF = frozenset({Role.ORGANISER, Role.OPERATOR})


def subject(request, program, registration) -> dict:
    return {"registration": registration}


def register_panels() -> None:
    register(Panel("registration", "action_plan", "actionplans/_detail_panel.html", subject,
                   order=20, roles=STAFF))
    register(Panel("participant.links", "action_plan", "actionplans/_participant_link.html",
                   subject, order=10, roles=frozenset({Role.PARTICIPANT})))
