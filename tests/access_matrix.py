"""Every URL pattern of the project and the roles that may use it.

tests/test_access_matrix.py fails when a URL pattern is missing here, so each
new view must declare who may open it. Extend this file with every new URL.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from kompeten.accounts.models import Role

PUBLIC = frozenset({"public"})
LOGGED_IN = frozenset(Role)


@dataclass(frozen=True)
class Entry:
    roles: frozenset  # PUBLIC, or the roles that get the page (others get 403/404)
    kwargs: Callable[[dict], dict] = field(default=lambda ctx: {})
    query: str = ""
    # Views that only accept POST (their behaviour is tested elsewhere).
    post_only: bool = False
    # Logged-in users are redirected away (e.g. the login page) instead of served.
    redirects_authenticated: bool = False


MATRIX: dict[str, Entry] = {
    "home": Entry(PUBLIC),
    "healthz": Entry(PUBLIC),
    "login": Entry(PUBLIC, redirects_authenticated=True),
    "logout": Entry(LOGGED_IN, post_only=True),
    "set_language": Entry(PUBLIC, post_only=True),
    "password_change": Entry(LOGGED_IN),
    "password_change_done": Entry(LOGGED_IN),
    "password_reset": Entry(PUBLIC),
    "password_reset_done": Entry(PUBLIC),
    "password_reset_confirm": Entry(
        PUBLIC, kwargs=lambda ctx: {"uidb64": "MQ", "token": "set-password"}),
    "password_reset_complete": Entry(PUBLIC),
    "programs:schedule": Entry(PUBLIC),
    "programs:calendar": Entry(PUBLIC),
    "programs:schedule_ics": Entry(PUBLIC, kwargs=lambda ctx: {"year": ctx["program"].year}),
    "programs:schedule_import": Entry(frozenset({Role.ORGANISER})),
    "programs:masterdata_index": Entry(frozenset({Role.ORGANISER})),
    "programs:masterdata_list": Entry(
        frozenset({Role.ORGANISER}), kwargs=lambda ctx: {"kind": "instansi"}),
    "programs:masterdata_create": Entry(
        frozenset({Role.ORGANISER}), kwargs=lambda ctx: {"kind": "unit-kompetensi"}),
    "programs:masterdata_edit": Entry(
        frozenset({Role.ORGANISER}),
        kwargs=lambda ctx: {"kind": "angkatan", "pk": ctx["program"].batches.first().pk}),
    # The operator of agency_a may open agency_a only; see test_agency_scoping.
    "programs:agency_detail": Entry(
        frozenset({Role.ORGANISER, Role.OPERATOR}), kwargs=lambda ctx: {"pk": ctx["agency_a"].pk}),
    # registration: nominations (ctx["registration"] belongs to agency_a)
    "registration:nomination_list": Entry(frozenset({Role.ORGANISER, Role.OPERATOR})),
    "registration:nominate": Entry(frozenset({Role.OPERATOR})),
    "registration:nomination_detail": Entry(
        frozenset({Role.ORGANISER, Role.OPERATOR}),
        kwargs=lambda ctx: {"pk": ctx["registration"].pk}),
    "registration:withdraw": Entry(
        frozenset({Role.OPERATOR}), post_only=True,
        kwargs=lambda ctx: {"pk": ctx["registration"].pk}),
    "registration:invite": Entry(
        frozenset({Role.ORGANISER}), post_only=True,
        kwargs=lambda ctx: {"pk": ctx["registration"].pk}),
    "registration:decline": Entry(
        frozenset({Role.ORGANISER}), post_only=True,
        kwargs=lambda ctx: {"pk": ctx["registration"].pk}),
    # registration: the invited official and the participant's own file
    "registration:accept_invitation": Entry(
        PUBLIC, kwargs=lambda ctx: {"token": ctx["invitation_token"]}),
    "registration:my_registration": Entry(frozenset({Role.PARTICIPANT})),
    "registration:edit_profile": Entry(frozenset({Role.PARTICIPANT})),
    "registration:submit": Entry(frozenset({Role.PARTICIPANT}), post_only=True),
    # -- registration: documents and uploads --
    # -- registration: work history --
    # -- registration: action plan --
    # -- registration: nomination import and export --
    # -- review --
    # -- placement: batches --
    # -- placement: rooms --
    # -- placement: topics, publication and class documents --
}
