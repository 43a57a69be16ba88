"""Every URL pattern of the project and the roles that may use it.

tests/test_access_matrix.py fails when a URL pattern is missing here, so each
new view must declare who may open it. Extend this file with every new URL.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from kompeten.accounts.models import Role
from tests import classroom_samples as cs
from tests.upload_samples import matrix_document, matrix_work_history_entry

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
    "programs:schedule_ics": Entry(PUBLIC, kwargs=lambda ctx: {"code": ctx["program"].code}),
    "programs:schedule_import": Entry(frozenset({Role.ORGANISER})),
    "programs:masterdata_index": Entry(frozenset({Role.ORGANISER})),
    "programs:masterdata_list": Entry(
        frozenset({Role.ORGANISER}), kwargs=lambda ctx: {"kind": "instansi"}),
    "programs:masterdata_create": Entry(
        frozenset({Role.ORGANISER}), kwargs=lambda ctx: {"kind": "unit-kompetensi"}),
    "programs:masterdata_edit": Entry(
        frozenset({Role.ORGANISER}),
        kwargs=lambda ctx: {"kind": "angkatan", "pk": ctx["program"].batches.first().pk}),
    "programs:program_copy": Entry(
        frozenset({Role.ORGANISER}), kwargs=lambda ctx: {"pk": ctx["program"].pk}),
    # The operator of agency_a may open agency_a only; see test_agency_scoping.
    "programs:agency_detail": Entry(
        frozenset({Role.ORGANISER, Role.OPERATOR}), kwargs=lambda ctx: {"pk": ctx["agency_a"].pk}),
    # nominations (ctx["registration"] belongs to agency_a)
    "nominations:nomination_list": Entry(frozenset({Role.ORGANISER, Role.OPERATOR})),
    "nominations:nominate": Entry(frozenset({Role.OPERATOR})),
    "nominations:nomination_detail": Entry(
        frozenset({Role.ORGANISER, Role.OPERATOR}),
        kwargs=lambda ctx: {"pk": ctx["registration"].pk}),
    "nominations:withdraw": Entry(
        frozenset({Role.OPERATOR}), post_only=True,
        kwargs=lambda ctx: {"pk": ctx["registration"].pk}),
    "nominations:invite": Entry(
        frozenset({Role.ORGANISER}), post_only=True,
        kwargs=lambda ctx: {"pk": ctx["registration"].pk}),
    "nominations:decline": Entry(
        frozenset({Role.ORGANISER}), post_only=True,
        kwargs=lambda ctx: {"pk": ctx["registration"].pk}),
    # registration: the invited official and the participant's own file
    "registration:accept_invitation": Entry(
        PUBLIC, kwargs=lambda ctx: {"token": ctx["invitation_token"]}),
    "participants:my_registration": Entry(frozenset({Role.PARTICIPANT})),
    "participants:edit_profile": Entry(frozenset({Role.PARTICIPANT})),
    "review:submit": Entry(frozenset({Role.PARTICIPANT}), post_only=True),
    # -- participants: documents and uploads --
    "participants:documents": Entry(frozenset({Role.PARTICIPANT})),
    # the participant's SP (agency_a), created on first use so other tests keep an empty
    # file (see tests/upload_samples.py): other roles and agencies get 404
    "participants:download": Entry(
        frozenset({Role.ORGANISER, Role.OPERATOR, Role.PARTICIPANT}),
        kwargs=lambda ctx: {"pk": matrix_document(ctx).stored_id}),
    "nominations:nomination_letters": Entry(frozenset({Role.ORGANISER, Role.OPERATOR})),
    # -- participants: work history --
    "participants:work_history": Entry(frozenset({Role.PARTICIPANT})),
    "participants:work_history_edit": Entry(
        frozenset({Role.PARTICIPANT}),
        kwargs=lambda ctx: {"pk": matrix_work_history_entry(ctx).pk}),
    "participants:work_history_delete": Entry(
        frozenset({Role.PARTICIPANT}), post_only=True,
        kwargs=lambda ctx: {"pk": matrix_work_history_entry(ctx).pk}),
    # -- actionplans --
    # The participant's own plan (view, edit, PDF: a blank form while nothing is written);
    # organisers and operators open any registration they may see (agency_a here).
    "actionplans:my_action_plan": Entry(frozenset({Role.PARTICIPANT})),
    "actionplans:edit_action_plan": Entry(frozenset({Role.PARTICIPANT})),
    "actionplans:my_action_plan_pdf": Entry(frozenset({Role.PARTICIPANT})),
    "actionplans:action_plan_detail": Entry(
        frozenset({Role.ORGANISER, Role.OPERATOR}),
        kwargs=lambda ctx: {"pk": ctx["registration"].pk}),
    "actionplans:action_plan_pdf": Entry(
        frozenset({Role.ORGANISER, Role.OPERATOR}),
        kwargs=lambda ctx: {"pk": ctx["registration"].pk}),
    # -- nominations: import and export --
    # Operators import/export their own agency only; see tests/test_nomination_import.py.
    "nominations:nomination_import": Entry(frozenset({Role.ORGANISER, Role.OPERATOR})),
    "nominations:nomination_template": Entry(frozenset({Role.ORGANISER, Role.OPERATOR})),
    "nominations:nomination_export": Entry(frozenset({Role.ORGANISER, Role.OPERATOR})),
    # -- review --
    "review:queue": Entry(frozenset({Role.ORGANISER})),
    "review:review": Entry(frozenset({Role.ORGANISER}),
                           kwargs=lambda ctx: {"pk": ctx["registration"].pk}),
    "review:version": Entry(
        frozenset({Role.ORGANISER}),
        kwargs=lambda ctx: {"pk": ctx["review_submitted"].pk, "number": 1}),
    # -- batching --
    "batching:date_preference": Entry(frozenset({Role.OPERATOR})),
    # Organiser only (placement is done centrally); operators get 403 (tests/test_batching.py).
    "batching:batch_overview": Entry(frozenset({Role.ORGANISER})),
    "batching:batch_detail": Entry(
        frozenset({Role.ORGANISER}),
        kwargs=lambda ctx: {"pk": ctx["program"].batches.get(number=4).pk}),
    "batching:waiting_list": Entry(frozenset({Role.ORGANISER}),
                                    kwargs=lambda ctx: {"level_code": "pengawas"}),
    # -- dormitory --
    # Organiser only (the dormitory is organised centrally); see tests/test_rooms.py.
    "dormitory:room_nights": Entry(frozenset({Role.ORGANISER})),
    "dormitory:room_assign": Entry(frozenset({Role.ORGANISER}), post_only=True),
    "dormitory:room_night": Entry(frozenset({Role.ORGANISER}),
                                  kwargs=lambda ctx: {"night": "2019-06-30"}),
    "dormitory:room_night_pdf": Entry(frozenset({Role.ORGANISER}),
                                      kwargs=lambda ctx: {"night": "2019-06-30"}),
    "dormitory:room_toggle_stay": Entry(
        frozenset({Role.ORGANISER}), post_only=True,
        kwargs=lambda ctx: {"pk": ctx["room_placement"].pk}),
    "dormitory:room_list": Entry(frozenset({Role.ORGANISER})),
    "dormitory:room_create": Entry(frozenset({Role.ORGANISER})),
    "dormitory:room_generate": Entry(frozenset({Role.ORGANISER})),
    "dormitory:room_edit": Entry(frozenset({Role.ORGANISER}),
                                 kwargs=lambda ctx: {"pk": ctx["room"].pk}),
    # -- rumpun, and classroom: publication and class documents --
    # Organisers group, publish and print; the public reads the announcement (a "not yet"
    # page with 200 before publication); facilitators print class lists and attendance
    # sheets of any batch (they run the classroom days), name plates are the organiser's.
    "rumpun:topic_groups": Entry(frozenset({Role.ORGANISER})),
    "rumpun:topic_propose": Entry(frozenset({Role.ORGANISER}), post_only=True),
    # POST only: the placement pk is not looked up before the method check
    "rumpun:topic_move": Entry(frozenset({Role.ORGANISER}), post_only=True,
                                  kwargs=lambda ctx: {"pk": 1}),
    "classroom:announcement_admin": Entry(frozenset({Role.ORGANISER})),
    "classroom:announcement_publish": Entry(frozenset({Role.ORGANISER}), post_only=True),
    "classroom:announcement_unpublish": Entry(frozenset({Role.ORGANISER}), post_only=True),
    "classroom:announcement": Entry(PUBLIC, kwargs=lambda ctx: {"code": ctx["program"].code}),
    "classroom:class_documents": Entry(frozenset({Role.ORGANISER, Role.FACILITATOR})),
    "classroom:class_list_pdf": Entry(
        frozenset({Role.ORGANISER, Role.FACILITATOR}),
        kwargs=lambda ctx: {"pk": ctx["program"].batches.first().pk}),
    "classroom:attendance_pdf": Entry(
        frozenset({Role.ORGANISER, Role.FACILITATOR}),
        kwargs=lambda ctx: {"pk": ctx["program"].batches.first().pk,
                            "day": ctx["program"].batches.first().start_date.isoformat()}),
    "classroom:name_plates_pdf": Entry(
        frozenset({Role.ORGANISER}), kwargs=lambda ctx: {"pk": ctx["program"].batches.first().pk}),
    # -- classroom days: sessions, attendance, evaluation (/kelas/) --
    # Organisers run every batch; a facilitator only the batches where they teach a session
    # (the matrix facilitator is assigned to batch 1 by cs.matrix_session; another batch is
    # a 404, see tests/test_classroom_days.py). The QR check-in is the participant's; the
    # .ics feed is public behind a signed address.
    "kelas:overview": Entry(frozenset({Role.ORGANISER})),
    "kelas:generate": Entry(frozenset({Role.ORGANISER}), post_only=True),
    "kelas:batch_sessions": Entry(frozenset({Role.ORGANISER, Role.FACILITATOR}),
                                  kwargs=cs.batch_kwargs),
    "kelas:assign": Entry(frozenset({Role.ORGANISER}), post_only=True, kwargs=cs.session_kwargs),
    "kelas:unassign": Entry(frozenset({Role.ORGANISER}), post_only=True,
                            kwargs=cs.session_kwargs),
    "kelas:edit_session": Entry(frozenset({Role.ORGANISER}), post_only=True,
                                kwargs=cs.session_kwargs),
    "kelas:facilitators": Entry(frozenset({Role.ORGANISER})),
    "kelas:my_timetable": Entry(frozenset({Role.FACILITATOR})),
    "kelas:facilitator_ics": Entry(PUBLIC, kwargs=cs.ics_kwargs),
    "kelas:screen": Entry(frozenset({Role.ORGANISER, Role.FACILITATOR}),
                          kwargs=cs.session_kwargs),
    "kelas:screen_qr": Entry(frozenset({Role.ORGANISER, Role.FACILITATOR}),
                             kwargs=cs.session_kwargs),
    "kelas:checkin": Entry(frozenset({Role.PARTICIPANT}), kwargs=cs.checkin_kwargs),
    "kelas:roll_call": Entry(frozenset({Role.ORGANISER, Role.FACILITATOR}),
                             kwargs=cs.session_kwargs),
    "kelas:roll_call_mark": Entry(frozenset({Role.ORGANISER, Role.FACILITATOR}),
                                  post_only=True, kwargs=cs.session_kwargs),
    "kelas:correct": Entry(frozenset({Role.ORGANISER}), post_only=True, kwargs=cs.batch_kwargs),
    "kelas:batch_attendance": Entry(frozenset({Role.ORGANISER, Role.FACILITATOR}),
                                    kwargs=cs.batch_kwargs),
    "kelas:upload_sheet": Entry(frozenset({Role.ORGANISER}), post_only=True,
                                kwargs=cs.batch_kwargs),
    "kelas:signed_sheet": Entry(frozenset({Role.ORGANISER, Role.FACILITATOR}),
                                kwargs=cs.sheet_kwargs),
    "kelas:evaluation_results": Entry(frozenset({Role.ORGANISER}), kwargs=cs.batch_kwargs),
    "kelas:conduct": Entry(frozenset({Role.PARTICIPANT}), kwargs=cs.placed),
    "kelas:acknowledge": Entry(frozenset({Role.PARTICIPANT}), post_only=True),
    "kelas:evaluate": Entry(frozenset({Role.PARTICIPANT}), kwargs=cs.placed),
    # -- letters --
    # Organisers run the announcement letters; an operator opens their own agency's letter
    # (agency_a here; another agency's letter is a 404, see tests/test_letters_views.py).
    "letters:overview": Entry(frozenset({Role.ORGANISER})),
    "letters:settings": Entry(frozenset({Role.ORGANISER})),
    "letters:send": Entry(frozenset({Role.ORGANISER}), post_only=True),
    "letters:job": Entry(frozenset({Role.ORGANISER}),
                         kwargs=lambda ctx: {"pk": ctx["letter_job"].pk}),
    "letters:job_progress": Entry(frozenset({Role.ORGANISER}),
                                  kwargs=lambda ctx: {"pk": ctx["letter_job"].pk}),
    "letters:preview": Entry(frozenset({Role.ORGANISER}),
                             kwargs=lambda ctx: {"agency_pk": ctx["agency_b"].pk}),
    "letters:download": Entry(frozenset({Role.ORGANISER, Role.OPERATOR}),
                              kwargs=lambda ctx: {"pk": ctx["letter"].pk}),
    "letters:mine": Entry(frozenset({Role.OPERATOR})),
}
