"""The certificates' blocks on the home pages (see common.panels)."""

from kompeten.accounts.models import Role
from kompeten.certificates import selectors
from kompeten.common.panels import Panel, register


def organiser(request, program, subject) -> dict | None:
    return {"program": program} if program is not None else None


def operator(request, program, subject) -> dict | None:
    return {"program": program} if program is not None else None


def participant(request, program, subject) -> dict | None:
    certificates = selectors.mine(request.user)
    return {"certificates": certificates} if certificates else None


def register_panels() -> None:
    register(Panel("home", "certificates_organiser", "certificates/_home_organiser.html",
                   organiser, order=70, roles=frozenset({Role.ORGANISER})))
    register(Panel("home", "certificates_operator", "certificates/_home_operator.html",
                   operator, order=70, roles=frozenset({Role.OPERATOR})))
    register(Panel("home", "certificates_participant", "certificates/_home_participant.html",
                   participant, order=5, roles=frozenset({Role.PARTICIPANT})))
