"""The placement section of a registration's page: "placed" is derived from the Placement
record (its own stage), not a registration status."""

from kompeten.accounts.models import Role
from kompeten.batching.models import Placement
from kompeten.common.panels import Panel, register


def placement(request, program, registration) -> dict | None:
    found = (Placement.objects.select_related("batch").filter(registration=registration)
             .first())
    return None if found is None else {"placement": found}


def register_panels() -> None:
    register(Panel("registration", "placement", "batching/_registration_panel.html",
                   placement, order=30, roles=frozenset({Role.ORGANISER, Role.OPERATOR})))
