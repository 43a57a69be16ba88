"""Links to the reports on the home pages, and to the participant's own data."""

from kompeten.accounts.models import Role
from kompeten.common.panels import Panel, register


def reports_link(request, program, subject) -> dict | None:
    return {"program": program}


def my_data_link(request, program, subject) -> dict | None:
    return {}


def register_panels() -> None:
    register(Panel("home", "reports", "reports/_home_reports.html", reports_link, order=80,
                   roles=frozenset({Role.ORGANISER, Role.OPERATOR})))
    register(Panel("participant.links", "my_data", "reports/_participant_link.html",
                   my_data_link, order=95, roles=frozenset({Role.PARTICIPANT})))
