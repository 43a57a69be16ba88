"""What every iCalendar feed of the site shares (RFC 5545): UIDs on the site's domain,
DTSTAMP of the generation, and a SEQUENCE that grows whenever the event changes."""

import datetime as dt

from django.conf import settings

# SEQUENCE is a non-negative integer that must grow with each change of an event; the
# seconds since this moment to the row's last change do (they fit 31 bits until 2087).
SEQUENCE_EPOCH = dt.datetime(2019, 1, 1, tzinfo=dt.UTC)
PRODID = "-//Pusbang ASN BKN//Kompeten//ID"


def uid(kind: str, pk: int) -> str:
    """A stable UID: the row's id at the configured site domain (settings.SITE_DOMAIN)."""
    return f"{kind}-{pk}@{settings.SITE_DOMAIN}"


def sequence(updated_at: dt.datetime) -> int:
    return max(int((updated_at - SEQUENCE_EPOCH).total_seconds()), 0)


def utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(microsecond=0)


def stamp_event(event, *, kind: str, pk: int, updated_at: dt.datetime,
                now: dt.datetime) -> None:
    """UID, DTSTAMP (now: when the feed is generated), LAST-MODIFIED and SEQUENCE."""
    event.add("uid", uid(kind, pk))
    event.add("dtstamp", utc(now))
    event.add("last-modified", utc(updated_at))
    event.add("sequence", sequence(updated_at))
