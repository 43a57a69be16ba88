"""The facilitator's timetable as an iCalendar feed (RFC 5545), for calendar apps."""

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from kompeten.classroom import selectors
from kompeten.classroom.session_models import Facilitator
from kompeten.common.calendars import PRODID, stamp_event, utc


def facilitator_ics(*, facilitator: Facilitator) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", facilitator.name)
    now = timezone.now()
    for assignment in selectors.facilitator_timetable(facilitator):
        session, batch = assignment.session, assignment.session.batch
        event = Event()
        # The event shows the batch's venue too: a change to either is a new version.
        stamp_event(event, kind="sesi", pk=session.pk,
                    updated_at=max(session.updated_at, batch.updated_at), now=now)
        event.add("dtstart", utc(session.starts_at))
        event.add("dtend", utc(session.ends_at))
        event.add("summary", session.title)
        event.add("description", _("Angkatan %(number)s (%(level)s)") % {
            "number": batch.number, "level": batch.level.name})
        event.add("location", session.room or batch.venue)
        calendar.add_component(event)
    return calendar.to_ical()


