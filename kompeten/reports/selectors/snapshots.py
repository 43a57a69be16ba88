"""Which reports are computed in the request and which are shown from a stored snapshot
(kompeten.reports.models.ReportSnapshot), and the snapshot of a request's filters."""

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from kompeten.registration.models import Registration
from kompeten.reports.filters import Criteria
from kompeten.reports.models import ReportSnapshot, SnapshotStatus

# Up to this many registrations under the filters, a report is aggregated in the request
# (always current; a year's programme is about 1,500). Beyond it (a national programme
# of 100,000: 1.3 million unit decisions) the aggregates take seconds: a background job
# computes them and the page shows the stored result with its time.
LIVE_MAX_REGISTRATIONS = 5_000
# A stored result older than this is recomputed when its page is opened (the page shows
# the older figures, with their time, until the new ones are ready).
REFRESH_AFTER = timedelta(minutes=10)
# A job that has not finished after this long has lost its worker: the next visit asks again.
PENDING_STALE = timedelta(minutes=10)
EXPECTED_MS_DEFAULT = 10_000


def registrations_under(criteria: Criteria) -> int:
    return criteria.apply(Registration.objects.all()).count()


def snapshot_key(*, kind: str, criteria: Criteria, options: dict, language: str) -> str:
    resolved = {"filters": criteria.as_query(), "scope": criteria.agency_scope,
                "options": options, "language": language, "kind": kind}
    return hashlib.sha256(json.dumps(resolved, sort_keys=True).encode()).hexdigest()


def snapshot(*, kind: str, key: str) -> ReportSnapshot | None:
    return ReportSnapshot.objects.filter(kind=kind, key=key).first()


def needs_request(found: ReportSnapshot | None, *, now=None) -> bool:
    """No result yet, an old one, or a job that never finished: ask for a computation."""
    now = now or timezone.now()
    if found is None:
        return True
    if found.is_pending:
        return (found.started_at or found.requested_at) < now - PENDING_STALE
    return found.computed_at < now - REFRESH_AFTER


@dataclass(frozen=True)
class Progress:
    queued: bool
    percent: int


def progress(found: ReportSnapshot, *, now=None) -> Progress:
    """An estimate from the duration of this result's previous computation (or of the
    report's latest): the aggregates are a few large queries that report nothing while
    they run."""
    if found.status == SnapshotStatus.QUEUED or found.started_at is None:
        return Progress(True, 0)
    expected = found.duration_ms or (ReportSnapshot.objects.filter(
        kind=found.kind, duration_ms__isnull=False).order_by("-computed_at")
        .values_list("duration_ms", flat=True).first()) or EXPECTED_MS_DEFAULT
    elapsed = ((now or timezone.now()) - found.started_at).total_seconds() * 1000
    return Progress(False, max(1, min(95, round(100 * elapsed / max(expected, 1)))))
