"""The e-learning block of the home pages (see common.panels)."""

from django.utils import timezone

from kompeten.accounts.models import Role
from kompeten.common.panels import Panel, register
from kompeten.elearning import selectors


def participant(request, program, subject) -> dict | None:
    placement = selectors.placement_of(user=request.user, program=program)
    if placement is None:
        return None
    is_open = selectors.is_open(placement.batch, timezone.localdate())
    rows = (selectors.participant_modules(registration=placement.registration,
                                          batch=placement.batch, user=request.user)
            if is_open else [])
    return {"batch": placement.batch, "opens_on": selectors.opens_on(placement.batch),
            "is_open": is_open, "total": selectors.total_percent(rows),
            "complete": sum(1 for row in rows if row.percent == 100), "modules": len(rows)}


def staff(request, program, subject) -> dict | None:
    inbox = (selectors.facilitator_inbox(user=request.user, program=program)
             if request.user.role == Role.FACILITATOR else [])
    return {"program": program, "inbox": inbox}


def register_panels() -> None:
    register(Panel("home", "elearning", "elearning/_home_participant.html", participant,
                   order=20, roles=frozenset({Role.PARTICIPANT})))
    register(Panel("home", "elearning_staff", "elearning/_home_staff.html", staff,
                   order=60, roles=frozenset({Role.ORGANISER, Role.FACILITATOR})))
