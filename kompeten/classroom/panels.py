"""Links to the published class lists and the classroom days on the pages of earlier apps
(see common.panels)."""

from kompeten.accounts.models import Role
from kompeten.classroom import selectors
from kompeten.classroom.attendance_models import ConductAcknowledgement, EvaluationSubmission
from kompeten.classroom.selectors import is_published
from kompeten.classroom.session_models import Facilitator
from kompeten.common.panels import ANONYMOUS, Panel, register
from kompeten.dormitory.models import RoomAssignment


def announcement(request, program, subject) -> dict | None:
    return {"program": program} if is_published(program) else None


def organiser_days(request, program, subject) -> dict | None:
    return {"program": program} if program is not None else None


def facilitator_days(request, program, subject) -> dict | None:
    facilitator = Facilitator.objects.filter(user=request.user).first()
    if facilitator is None:
        return {"facilitator": None, "assignments": []}
    return {"facilitator": facilitator,
            "assignments": selectors.facilitator_timetable(facilitator, upcoming=True)[:5]}


def participant_days(request, program, subject) -> dict | None:
    placement = selectors.participant_placement(request.user)
    if placement is None:
        return None
    registration = placement.registration
    return {
        "placement": placement,
        "acknowledged": ConductAcknowledgement.objects.filter(
            registration=registration).exists(),
        "evaluated": EvaluationSubmission.objects.filter(registration=registration).exists(),
        "jp": selectors.jp_attended(registration),
        "minimum": selectors.min_jp(placement.batch.program),
        "sessions": selectors.batch_sessions(placement.batch),
        "rooms": sorted({str(a.room) for a in RoomAssignment.objects.select_related("room")
                         .filter(placement=placement)}),
    }


def register_panels() -> None:
    register(Panel("home.actions", "announcement", "classroom/_home_link.html", announcement,
                   roles=frozenset({ANONYMOUS})))
    register(Panel("participant.links", "announcement", "classroom/_participant_link.html",
                   announcement, order=90, roles=frozenset({Role.PARTICIPANT})))
    register(Panel("home", "classroom_days_organiser", "classroom/days/_home_organiser.html",
                   organiser_days, order=60, roles=frozenset({Role.ORGANISER})))
    register(Panel("home", "classroom_days_facilitator", "classroom/days/_home_facilitator.html",
                   facilitator_days, order=10, roles=frozenset({Role.FACILITATOR})))
    register(Panel("home", "classroom_days_participant",
                   "classroom/days/_home_participant.html", participant_days, order=15,
                   roles=frozenset({Role.PARTICIPANT})))
