"""{% room_stays registration as stays %}: a participant's dormitory nights (1 query)."""

from django import template

from kompeten.placement.models import Placement, RoomAssignment

register = template.Library()


@register.simple_tag
def room_stays(registration) -> dict | None:
    """None before the participant is placed; else stays_in_dorm and the beds by night."""
    placement = (Placement.objects.filter(registration=registration)
                 .values("pk", "stays_in_dorm", "batch_id").first())
    if placement is None or placement["batch_id"] is None:
        return None
    beds = (RoomAssignment.objects.filter(placement_id=placement["pk"])
            .select_related("room").order_by("night"))
    return {"stays": placement["stays_in_dorm"], "beds": list(beds)}
