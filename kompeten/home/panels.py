"""The organiser's funnel on the home page: it reads registration and batching, so it
lives in home, the one app allowed to read every stage."""

from django.utils.translation import gettext_lazy as _

from kompeten.accounts.models import Role
from kompeten.batching.selectors import seated_count
from kompeten.common.panels import Panel, register
from kompeten.letters.selectors import announced_agency_count
from kompeten.programs.models import Agency
from kompeten.registration import selectors as registration_selectors

FUNNEL_STEPS = [*registration_selectors.FUNNEL, ("placed", _("Ditempatkan"))]


def agency_count(request) -> int:
    """The agencies registered: the organiser's home page shows it twice (the programme
    card and the funnel), counted once per request."""
    count = getattr(request, "_kompeten_agency_count", None)
    if count is None:
        count = request._kompeten_agency_count = Agency.objects.count()
    return count


def status_counts(request, program) -> list[dict]:
    """The programme's registrations per level and status, with those seated in a batch
    (registration's status_counts()): the organiser's home page shows them in the funnel and
    in the next step, counted in one pass over the registrations once per request."""
    memo = getattr(request, "_kompeten_status_counts", None)
    if memo is None or memo[0] != program.pk:
        memo = request._kompeten_status_counts = (program.pk, registration_selectors.status_counts(
            program=program, seated=seated_count()))
    return memo[1]


def status_totals(request, program) -> dict[str, int]:
    """The programme's registrations per status (every level, declined included), from
    status_counts(): what the organiser's next step counts."""
    totals: dict[str, int] = {}
    for row in status_counts(request, program):
        totals[row["status"]] = totals.get(row["status"], 0) + row["n"]
    return totals


def funnel(request, program, subject) -> dict | None:
    """Organiser: how far the nominees of each level got, and the letters sent."""
    if program is None:
        return None
    counts = status_counts(request, program)
    rows = registration_selectors.funnel_from_counts(counts)
    seated: dict[int, int] = {}
    for count in counts:  # the declined too: a seat is a seat (as the placement pages count)
        seated[count["level_id"]] = seated.get(count["level_id"], 0) + count["seated"]
    for row in rows:
        row["placed"] = seated.get(row["level_id"], 0)
    return {"funnel": [{"level": row["level__name"],
                        "steps": [(label, row[key]) for key, label in FUNNEL_STEPS]}
                       for row in rows],
            "funnel_steps": FUNNEL_STEPS,
            "announced": announced_agency_count(program=program),
            "agency_count": agency_count(request)}


def register_panels() -> None:
    register(Panel("home", "funnel", "home/_funnel.html", funnel, order=20,
                   roles=frozenset({Role.ORGANISER})))
