"""The dormitory section of a registration's page (see common.panels)."""

from kompeten.accounts.models import Role
from kompeten.batching.models import Placement
from kompeten.common.panels import Panel, register
from kompeten.dormitory.models import RoomAssignment


def room_stays(request, program, registration) -> dict | None:
    """Hidden before the participant is placed; else stays_in_dorm and the beds by night."""
    placement = (Placement.objects.filter(registration=registration)
                 .values("pk", "stays_in_dorm", "batch_id").first())
    if placement is None or placement["batch_id"] is None:
        return None
    beds = (RoomAssignment.objects.filter(placement_id=placement["pk"])
            .select_related("room").order_by("night"))
    return {"dorm": {"stays": placement["stays_in_dorm"], "beds": list(beds)}}


def register_panels() -> None:
    register(Panel("registration", "dormitory", "dormitory/_registration_panel.html", room_stays,
                   order=40, roles=frozenset({Role.ORGANISER, Role.OPERATOR})))
