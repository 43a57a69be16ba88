"""Login lock-out rules on top of django-axes (AXES_HANDLER points here).

Two counters over the recent failed logins (the window is AXES_COOLOFF_TIME):

* per username + IP address: AXES_FAILURE_LIMIT failures lock that pair only, so a stranger
  elsewhere cannot lock an official out of the official's own computer;
* per IP address across usernames: LOGIN_IP_FAILURE_LIMIT failures lock the address, so
  trying one password on many usernames (spraying) stops too.

A lock is a delay, not a hard lock: it ends LOGIN_LOCK_MINUTES after the last counted
failure, doubling with every further failure past the limit, up to AXES_COOLOFF_TIME.
Attempts made while locked are not counted (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT
is off), so waiting always helps.
"""

from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone


def lock_delay(*, excess: int) -> timedelta:
    """How long a lock lasts after the last failure, `excess` failures past the limit."""
    base = timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    longest = settings.AXES_COOLOFF_TIME
    return min(base * 2 ** min(excess, 30), longest)


def _locked_until(attempts, *, limit: int, window_start: datetime) -> datetime | None:
    recent = attempts.filter(attempt_time__gte=window_start).aggregate(
        failures=Sum("failures_since_start"), last=Max("attempt_time"))
    failures = recent["failures"] or 0
    if failures < limit:
        return None
    return recent["last"] + lock_delay(excess=failures - limit)


def locked_until(*, username: str | None, ip_address: str | None,
                 now: datetime | None = None) -> datetime | None:
    """When the lock on this username + address ends (None when not locked)."""
    now = now or timezone.now()
    window_start = now - settings.AXES_COOLOFF_TIME
    ends = [
        _locked_until(AccessAttempt.objects.filter(username=username, ip_address=ip_address),
                      limit=settings.AXES_FAILURE_LIMIT, window_start=window_start),
        _locked_until(AccessAttempt.objects.filter(ip_address=ip_address),
                      limit=settings.LOGIN_IP_FAILURE_LIMIT, window_start=window_start),
    ]
    active = [end for end in ends if end is not None and end > now]
    return max(active, default=None)


class LoginLockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        # Axes compares this number with AXES_FAILURE_LIMIT: answer the limit while a lock
        # (of the pair or of the address) is running, and the pair's count otherwise.
        limit = get_failure_limit(request, credentials)
        username = get_client_username(request, credentials)
        now = getattr(request, "axes_attempt_time", None) or timezone.now()
        if locked_until(username=username, ip_address=request.axes_ip_address, now=now):
            return limit
        pair = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address,
            attempt_time__gte=now - settings.AXES_COOLOFF_TIME,
        ).aggregate(failures=Sum("failures_since_start"))["failures"] or 0
        return min(pair, limit - 1)
