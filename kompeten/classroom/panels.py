"""Links to the published class lists on the pages of earlier apps (see common.panels)."""

from kompeten.accounts.models import Role
from kompeten.classroom.selectors import is_published
from kompeten.common.panels import ANONYMOUS, Panel, register


def announcement(request, program, subject) -> dict | None:
    return {"program": program} if is_published(program) else None


def register_panels() -> None:
    register(Panel("home.actions", "announcement", "classroom/_home_link.html", announcement,
                   roles=frozenset({ANONYMOUS})))
    register(Panel("participant.links", "announcement", "classroom/_participant_link.html",
                   announcement, order=90, roles=frozenset({Role.PARTICIPANT})))
