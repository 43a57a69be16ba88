"""iCalendar (.ics) feed of a programme's batches, for calendar apps to subscribe to."""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from kompeten.common.calendars import PRODID, stamp_event
from kompeten.programs.models import Batch, Program


def batches_ics(*, program: Program, batches: Iterable[Batch]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Jadwal {program.name} {program.year}")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    now = timezone.now()
    for batch in batches:
        event = Event()
        stamp_event(event, kind="angkatan", pk=batch.pk, updated_at=batch.updated_at, now=now)
        event.add("summary", f"Pelatihan dan Sertifikasi Akt {batch.number} ({batch.level.name})")
        # All-day event; DTEND is exclusive in iCalendar.
        event.add("dtstart", batch.start_date)
        event.add("dtend", batch.end_date + dt.timedelta(days=1))
        if batch.venue:
            event.add("location", batch.venue)
        event.add("description",
                  f"Kapasitas {batch.capacity} peserta. {settings.SITE_URL}/jadwal/")
        calendar.add_component(event)
    return calendar.to_ical()
