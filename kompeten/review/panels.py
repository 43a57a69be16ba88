"""Panels of the review on the pages of earlier apps (see common.panels)."""

from kompeten.accounts.models import Role
from kompeten.common.panels import Panel, register
from kompeten.review import selectors

PARTICIPANT = frozenset({Role.PARTICIPANT})


def review_link(request, program, registration) -> dict | None:
    return {"registration": registration} if registration.submitted_at else None


def feedback(request, program, registration) -> dict:
    """Why the file came back (per section) or was rejected."""
    decision = selectors.feedback_for(registration=registration)
    return {"registration": registration, "decision": decision,
            "comments": selectors.comments_of(decision) if decision else []}


def submit(request, program, registration) -> dict:
    return {"registration": registration}


def register_panels() -> None:
    register(Panel("registration", "review_link", "review/_review_link.html", review_link,
                   order=10, roles=frozenset({Role.ORGANISER})))
    register(Panel("participant.top", "feedback", "review/_participant_feedback.html", feedback,
                   roles=PARTICIPANT))
    register(Panel("participant.actions", "submit", "review/_submit.html", submit,
                   roles=PARTICIPANT))
