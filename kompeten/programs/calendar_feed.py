"""iCalendar (.ics) feed of a programme's batches, for calendar apps to subscribe to."""

import datetime as dt
from collections.abc import Iterable

from icalendar import Calendar, Event

from kompeten.programs.models import Batch, Program


def batches_ics(*, program: Program, batches: Iterable[Batch], site_url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Pusbang ASN BKN//Kompeten//ID")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Jadwal {program.name} {program.year}")
    calendar.add("x-wr-timezone", "Asia/Jakarta")
    host = site_url.split("://", 1)[-1]
    for batch in batches:
        event = Event()
        event.add("uid", f"angkatan-{program.code}-{batch.number}@{host}")
        event.add("summary", f"Pelatihan dan Sertifikasi Akt {batch.number} ({batch.level.name})")
        # All-day event; DTEND is exclusive in iCalendar.
        event.add("dtstart", batch.start_date)
        event.add("dtend", batch.end_date + dt.timedelta(days=1))
        event.add("dtstamp", dt.datetime(program.year, 1, 1, tzinfo=dt.UTC))
        if batch.venue:
            event.add("location", batch.venue)
        event.add("description", f"Kapasitas {batch.capacity} peserta. {site_url}/jadwal/")
        calendar.add_component(event)
    return calendar.to_ical()
