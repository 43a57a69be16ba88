"""The organiser's funnel on the home page: it reads registration and batching, so it
lives in home, the one app allowed to read every stage."""

from django.utils.translation import gettext_lazy as _

from kompeten.accounts.models import Role
from kompeten.batching.selectors import seated_by_level
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


def funnel(request, program, subject) -> dict | None:
    """Organiser: how far the nominees of each level got, and the letters sent."""
    if program is None:
        return None
    rows = registration_selectors.funnel_by_level(program=program)
    seated = seated_by_level(program=program)
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
