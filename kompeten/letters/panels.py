"""The agency's announcement letter on the home and agency pages (see common.panels)."""

from kompeten.accounts.models import Role
from kompeten.common.panels import Panel, register
from kompeten.letters import selectors


def operator_letter(request, program, subject) -> dict | None:
    if program is None:
        return None
    return {"letter": selectors.agency_letter(user=request.user, agency=request.user.agency,
                                              program=program)}


def agency_letter(request, program, agency) -> dict | None:
    """Agency scoping through the letters selector: other roles see nothing."""
    if program is None:
        return None
    return {"letter": selectors.agency_letter(user=request.user, agency=agency,
                                              program=program)}


def register_panels() -> None:
    register(Panel("home", "announcement_letter", "letters/_agency_letter.html", operator_letter,
                   order=10, roles=frozenset({Role.OPERATOR})))
    register(Panel("agency", "announcement_letter", "letters/_agency_letter.html", agency_letter))
