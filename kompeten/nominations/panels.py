"""The nominations on the home pages (see common.panels)."""

from kompeten.accounts.models import Role
from kompeten.common.panels import Panel, register
from kompeten.nominations.selectors import quota_usage
from kompeten.registration import selectors as registration_selectors
from kompeten.registration.checklist import with_checklist_data
from kompeten.registration.models import Status


def agency_nominees(request, program, subject) -> dict | None:
    """Operator: the agency's quota per level and its nominees with what they lack."""
    if program is None:
        return None
    user = request.user
    nominees = with_checklist_data(
        registration_selectors.registrations_visible_to(user=user, program=program)
        .exclude(status=Status.DECLINED)).order_by("level__order", "plain_name")
    return {"quotas": quota_usage(program=program, agency=user.agency),
            "nominees": list(nominees)}


def register_panels() -> None:
    register(Panel("home", "agency_nominees", "nominations/_home_nominees.html", agency_nominees,
                   order=20, roles=frozenset({Role.OPERATOR})))
