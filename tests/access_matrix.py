"""Every URL pattern of the project, the methods it serves and who may use it.

tests/test_access_matrix.py sends every method (GET and POST) to every route as every
principal below and fails when a URL pattern is missing here, so each new view must
declare who may open it. Extend this file with every new URL.

Principals: anonymous, the organiser, the operator of agency A and of agency B (the
objects of the world belong to agency A unless said otherwise), the participant (agency A)
and another participant (agency B), the facilitator of batch X (batch 4) and of batch Y
(batch 5), and the assessor (batch X).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from kompeten.access.services import assign_staff
from kompeten.accounts.models import Role
from tests import classroom_samples as cs
from tests.conftest import make_user
from tests.elearning_samples import matrix_elearning
from tests.upload_samples import matrix_document, matrix_work_history_entry

ANONYMOUS = "anonymous"
ORG = frozenset({"organiser"})
OP_A = frozenset({"operator_a"})
OPS = frozenset({"operator_a", "operator_b"})
PART = frozenset({"participant"})
PARTS = frozenset({"participant", "participant_other"})
FAC_X = frozenset({"facilitator_x"})
FACS = frozenset({"facilitator_x", "facilitator_y"})
ASSESSOR = frozenset({"assessor"})
LOGGED_IN = ORG | OPS | PARTS | FACS | ASSESSOR
PRINCIPALS = (ANONYMOUS, *sorted(LOGGED_IN))
PUBLIC = LOGGED_IN | {ANONYMOUS}

GET = ("GET",)
POST = ("POST",)
BOTH = ("GET", "POST")
# A view without a method restriction serves POST as it serves GET.
ANY = BOTH


def _bulk_run(ctx):
    from kompeten.nominations.models import BulkRun

    return BulkRun.objects.get_or_create(
        program=ctx["program"], action="invite",
        defaults={"by": ctx["users"][Role.ORGANISER], "total": 0})[0]


def _nomination_export(ctx):
    """Operator A's finished export of one nomination (written here, not by a worker)."""
    from kompeten.common.storage import private_storage
    from kompeten.nominations import exports
    from kompeten.nominations.models import NominationExport

    operator = ctx["principals"]["operator_a"]
    query = f"q={ctx['registration'].nip}"
    found = NominationExport.objects.filter(by=operator, query=query).first()
    # A reused crawl database keeps the row but not the file of an earlier run.
    if found is None or (found.file and not private_storage().exists(found.file.name)):
        found = exports.start_export(program=ctx["program"], by=operator, query=query)
    exports.write_export(export_id=found.pk)  # does nothing once it is done
    found.refresh_from_db()
    return found


@dataclass(frozen=True)
class Entry:
    who: frozenset[str]  # the principals that get the page; the others get 403/404
    methods: tuple[str, ...] = GET  # what the route serves; other methods answer 405
    kwargs: Callable[[dict], dict] = field(default=lambda ctx: {})
    query: str = ""
    # A GET that answers with a redirect (set_language) instead of a page.
    get_redirects: bool = False
    # Logged-in users are redirected away (e.g. the login page) instead of served.
    redirects_authenticated: bool = False
    # Principals of ``who`` whose record's state sends them elsewhere (302) on GET.
    redirected: frozenset[str] = frozenset()
    # The invitation link is the credential: whoever holds it sees that official's record.
    shows_token_holder_record: bool = False


def _batch_x(ctx):
    return ctx["batch_x"]


MATRIX: dict[str, Entry] = {
    "home": Entry(PUBLIC, ANY),
    "healthz": Entry(PUBLIC, ANY),
    "favicon": Entry(PUBLIC, ANY),
    "login": Entry(PUBLIC, BOTH, redirects_authenticated=True),
    "logout": Entry(PUBLIC, POST),
    "set_language": Entry(PUBLIC, BOTH, get_redirects=True),
    "password_change": Entry(LOGGED_IN, BOTH),
    "password_change_done": Entry(LOGGED_IN),
    "password_reset": Entry(PUBLIC, BOTH),
    "password_reset_done": Entry(PUBLIC),
    "password_reset_confirm": Entry(
        PUBLIC, BOTH, kwargs=lambda ctx: {"uidb64": "MQ", "token": "set-password"}),
    "password_reset_complete": Entry(PUBLIC),
    "programs:schedule": Entry(PUBLIC, ANY),
    "programs:calendar": Entry(PUBLIC, ANY),
    "programs:schedule_ics": Entry(PUBLIC, ANY, kwargs=lambda ctx: {"code": ctx["program"].code}),
    "programs:schedule_import": Entry(ORG, BOTH),
    "programs:masterdata_index": Entry(ORG, ANY),
    "programs:masterdata_list": Entry(ORG, ANY, kwargs=lambda ctx: {"kind": "instansi"}),
    "programs:masterdata_create": Entry(ORG, BOTH, kwargs=lambda ctx: {"kind": "unit-kompetensi"}),
    "programs:masterdata_edit": Entry(
        ORG, BOTH,
        kwargs=lambda ctx: {"kind": "angkatan", "pk": ctx["program"].batches.first().pk}),
    "programs:program_copy": Entry(ORG, BOTH, kwargs=lambda ctx: {"pk": ctx["program"].pk}),
    # The operator of agency A opens agency A only; see test_agency_scoping.
    "programs:agency_detail": Entry(ORG | OP_A, ANY, kwargs=lambda ctx: {"pk": ctx["agency_a"].pk}),
    # -- access: the organiser assigns facilitators and assessors to a batch --
    "access:batch_staff": Entry(ORG, BOTH, kwargs=lambda ctx: {"pk": ctx["batch_x"].pk}),
    "access:batch_staff_remove": Entry(ORG, POST,
                                       kwargs=lambda ctx: {"pk": ctx["staff_x"].pk}),
    # -- nominations (ctx["registration"] belongs to agency A) --
    "nominations:nomination_list": Entry(ORG | OPS, ANY),
    "nominations:nominate": Entry(OPS, ANY),
    "nominations:nomination_detail": Entry(
        ORG | OP_A, ANY, kwargs=lambda ctx: {"pk": ctx["registration"].pk}),
    "nominations:withdraw": Entry(OP_A, POST, kwargs=lambda ctx: {"pk": ctx["registration"].pk}),
    "nominations:invite": Entry(ORG, POST, kwargs=lambda ctx: {"pk": ctx["registration"].pk}),
    # the confirmation page of a bulk action (nothing selected: an empty summary)
    "nominations:bulk_action": Entry(ORG, BOTH, query="?action=invite"),
    # a background bulk action's progress page (created on first use, see _bulk_run)
    "nominations:bulk_run": Entry(ORG, ANY, kwargs=lambda ctx: {"pk": _bulk_run(ctx).pk}),
    "nominations:correct_name": Entry(ORG, BOTH,
                                      kwargs=lambda ctx: {"pk": ctx["registration"].pk}),
    # -- registration: the invited official and the participant's own file --
    "registration:accept_invitation": Entry(
        PUBLIC, ANY, kwargs=lambda ctx: {"token": ctx["invitation_token"]},
        shows_token_holder_record=True),
    "participants:my_registration": Entry(PARTS, ANY),
    "participants:edit_profile": Entry(PARTS, ANY),
    "review:submit": Entry(PARTS, POST),
    # -- participants: documents and uploads --
    "participants:documents": Entry(PARTS, ANY),
    # the participant's SP (agency A), created on first use so other tests keep an empty
    # file (see tests/upload_samples.py): other principals get 404
    "participants:download": Entry(
        ORG | OP_A | PART, ANY, kwargs=lambda ctx: {"pk": matrix_document(ctx).stored_id}),
    "nominations:nomination_letters": Entry(ORG | OPS, ANY),
    # -- participants: work history --
    "participants:work_history": Entry(PARTS, ANY),
    "participants:work_history_edit": Entry(
        PART, ANY, kwargs=lambda ctx: {"pk": matrix_work_history_entry(ctx).pk}),
    "participants:work_history_delete": Entry(
        PART, POST, kwargs=lambda ctx: {"pk": matrix_work_history_entry(ctx).pk}),
    # -- actionplans --
    # The participant's own plan (view, edit, PDF: a blank form while nothing is written);
    # organisers and operators open any registration they may see (agency A here).
    "actionplans:my_action_plan": Entry(PARTS, ANY),
    # participant_other's file is submitted, no longer editable: back to the plan
    "actionplans:edit_action_plan": Entry(PARTS, ANY, redirected=frozenset({"participant_other"})),
    "actionplans:my_action_plan_pdf": Entry(PARTS, ANY),
    "actionplans:action_plan_detail": Entry(
        ORG | OP_A, ANY, kwargs=lambda ctx: {"pk": ctx["registration"].pk}),
    "actionplans:action_plan_pdf": Entry(
        ORG | OP_A, ANY, kwargs=lambda ctx: {"pk": ctx["registration"].pk}),
    # -- nominations: import and export --
    # Operators import/export their own agency only; see tests/test_nomination_import.py.
    "nominations:nomination_import": Entry(ORG | OPS, BOTH),
    "nominations:nomination_template": Entry(ORG | OPS),
    # A large export: GET asks, POST starts a background job (tests/test_nomination_exports.py).
    "nominations:nomination_export": Entry(ORG | OPS, BOTH),
    # An export is its requester's only (operator A's here: the organiser gets a 404 too).
    "nominations:export_job": Entry(OP_A, GET, kwargs=lambda ctx: {
        "pk": _nomination_export(ctx).pk}),
    "nominations:export_download": Entry(OP_A, GET, kwargs=lambda ctx: {
        "pk": _nomination_export(ctx).pk}),
    # -- review --
    "review:queue": Entry(ORG, ANY),
    "review:review": Entry(ORG, BOTH, kwargs=lambda ctx: {"pk": ctx["registration"].pk}),
    "review:version": Entry(
        ORG, ANY, kwargs=lambda ctx: {"pk": ctx["review_submitted"].pk, "number": 1}),
    # -- batching --
    "batching:date_preference": Entry(OPS, ANY),
    # Organiser only (placement is done centrally); operators get 403 (tests/test_batching.py).
    "batching:batch_overview": Entry(ORG, BOTH),
    "batching:batch_detail": Entry(ORG, BOTH, kwargs=lambda ctx: {"pk": ctx["batch_x"].pk}),
    "batching:waiting_list": Entry(ORG, BOTH, kwargs=lambda ctx: {"level_code": "pengawas"}),
    # -- dormitory --
    # Organiser only (the dormitory is organised centrally); see tests/test_rooms.py.
    "dormitory:room_nights": Entry(ORG, ANY),
    "dormitory:room_assign": Entry(ORG, POST),
    "dormitory:room_check": Entry(ORG, POST),
    "dormitory:room_night": Entry(ORG, ANY, kwargs=lambda ctx: {"night": "2019-06-30"}),
    "dormitory:room_night_pdf": Entry(ORG, ANY, kwargs=lambda ctx: {"night": "2019-06-30"}),
    "dormitory:room_toggle_stay": Entry(ORG, POST,
                                        kwargs=lambda ctx: {"pk": ctx["room_placement"].pk}),
    "dormitory:room_list": Entry(ORG, ANY),
    "dormitory:room_create": Entry(ORG, BOTH),
    "dormitory:room_generate": Entry(ORG, BOTH),
    "dormitory:room_edit": Entry(ORG, BOTH, kwargs=lambda ctx: {"pk": ctx["room"].pk}),
    # -- rumpun, and classroom: publication and class documents --
    # Organisers group, publish and print; the public reads the announcement (a "not yet"
    # page with 200 before publication); facilitators print class lists and attendance
    # sheets of the batches they serve (batch X: facilitator X only), name plates are the
    # organiser's.
    "rumpun:topic_groups": Entry(ORG, ANY),
    "rumpun:topic_propose": Entry(ORG, POST),
    "rumpun:topic_move": Entry(ORG, POST, kwargs=lambda ctx: {"pk": ctx["room_placement"].pk}),
    "classroom:announcement_admin": Entry(ORG, ANY),
    "classroom:announcement_publish": Entry(ORG, POST),
    "classroom:announcement_unpublish": Entry(ORG, POST),
    "classroom:announcement": Entry(PUBLIC, ANY, kwargs=lambda ctx: {"code": ctx["program"].code}),
    "classroom:class_documents": Entry(ORG | FACS, ANY),
    "classroom:class_list_pdf": Entry(ORG | FAC_X, ANY,
                                      kwargs=lambda ctx: {"pk": ctx["batch_x"].pk}),
    "classroom:attendance_pdf": Entry(
        ORG | FAC_X, ANY,
        kwargs=lambda ctx: {"pk": ctx["batch_x"].pk,
                            "day": ctx["batch_x"].start_date.isoformat()}),
    "classroom:name_plates_pdf": Entry(ORG, ANY, kwargs=lambda ctx: {"pk": ctx["batch_x"].pk}),
    # -- elearning --
    # ctx["registration"] (the participant) placed in batch X with a material, a thread and a
    # resume (tests/elearning_samples.py); facilitators only for their batches.
    "elearning:mine": Entry(PARTS, ANY),
    # Materials belong to the level's modules, not to a batch: every facilitator reads them.
    "elearning:material_download": Entry(
        ORG | FACS | PART, ANY, kwargs=lambda ctx: {"pk": matrix_elearning(ctx)["version"].pk}),
    # Another participant reaches the route and is refused with a message, nothing stored
    # (302 back; tests/test_elearning.py checks the refusal).
    "elearning:mark_studied": Entry(
        PARTS, POST, kwargs=lambda ctx: {"pk": matrix_elearning(ctx)["material"].pk}),
    "elearning:resume_submit": Entry(
        PARTS, POST, kwargs=lambda ctx: {"pk": matrix_elearning(ctx)["module"].pk}),
    "elearning:resume_file": Entry(
        ORG | FAC_X | PART, ANY, kwargs=lambda ctx: {"pk": matrix_elearning(ctx)["resume"].pk}),
    "elearning:materials": Entry(ORG, ANY),
    "elearning:material_version": Entry(
        ORG, POST, kwargs=lambda ctx: {"pk": matrix_elearning(ctx)["material"].pk}),
    "elearning:batches": Entry(ORG | FACS, ANY),
    "elearning:batch_progress": Entry(
        ORG | FAC_X, ANY, kwargs=lambda ctx: {"pk": matrix_elearning(ctx)["batch"].pk}),
    "elearning:remind": Entry(
        ORG | FAC_X, POST, kwargs=lambda ctx: {"pk": matrix_elearning(ctx)["batch"].pk}),
    "elearning:resume_review": Entry(
        ORG | FAC_X, BOTH, kwargs=lambda ctx: {"pk": matrix_elearning(ctx)["resume"].pk}),
    "elearning:forum_batch": Entry(
        ORG | FAC_X | PART, ANY, kwargs=lambda ctx: {"pk": matrix_elearning(ctx)["batch"].pk}),
    "elearning:forum": Entry(
        ORG | FAC_X | PART, BOTH,
        kwargs=lambda ctx: {"pk": matrix_elearning(ctx)["batch"].pk,
                            "module_pk": matrix_elearning(ctx)["module"].pk}),
    "elearning:thread": Entry(
        ORG | FAC_X | PART, BOTH, kwargs=lambda ctx: {"pk": matrix_elearning(ctx)["thread"].pk}),
    "elearning:post_hide": Entry(
        ORG | FAC_X, POST, kwargs=lambda ctx: {"pk": matrix_elearning(ctx)["post"].pk}),
    # -- classroom days: sessions, attendance, evaluation (/kelas/) --
    # Organisers run every batch; a facilitator the batches where they teach a session
    # (classroom.selectors.facilitator_batches: cs.matrix_session assigns facilitator X to a
    # session of batch X). The QR check-in page is the participants' (another batch's
    # participant is refused with the reason, nothing stored); the evaluation needs a seat
    # (participant A sits in batch X). The .ics feed is public behind a signed address.
    "kelas:overview": Entry(ORG, ANY),
    "kelas:generate": Entry(ORG, POST),
    "kelas:batch_sessions": Entry(ORG | FAC_X, ANY, kwargs=cs.batch_kwargs),
    "kelas:assign": Entry(ORG, POST, kwargs=cs.session_kwargs),
    "kelas:unassign": Entry(ORG, POST, kwargs=cs.session_kwargs),
    "kelas:edit_session": Entry(ORG, POST, kwargs=cs.session_kwargs),
    "kelas:facilitators": Entry(ORG, ANY),
    "kelas:my_timetable": Entry(FACS, ANY),
    "kelas:facilitator_ics": Entry(PUBLIC, ANY, kwargs=cs.ics_kwargs),
    "kelas:screen": Entry(ORG | FAC_X, ANY, kwargs=cs.session_kwargs),
    "kelas:screen_qr": Entry(ORG | FAC_X, ANY, kwargs=cs.session_kwargs),
    "kelas:checkin": Entry(PARTS, ANY, kwargs=cs.checkin_kwargs),
    "kelas:roll_call": Entry(ORG | FAC_X, ANY, kwargs=cs.session_kwargs),
    "kelas:roll_call_mark": Entry(ORG | FAC_X, POST, kwargs=cs.session_kwargs),
    "kelas:correct": Entry(ORG, POST, kwargs=cs.batch_kwargs),
    "kelas:batch_attendance": Entry(ORG | FAC_X, ANY, kwargs=cs.batch_kwargs),
    "kelas:upload_sheet": Entry(ORG, POST, kwargs=cs.batch_kwargs),
    "kelas:signed_sheet": Entry(ORG | FAC_X, ANY, kwargs=cs.sheet_kwargs),
    "kelas:evaluation_results": Entry(ORG, ANY, kwargs=cs.batch_kwargs),
    "kelas:conduct": Entry(PARTS, ANY, kwargs=cs.placed),
    "kelas:acknowledge": Entry(PART, POST, kwargs=cs.placed),
    "kelas:evaluate": Entry(PART, ANY, kwargs=cs.placed),
    # -- letters --
    # Organisers run the announcement letters; an operator opens their own agency's letter
    # (agency A here; another agency's letter is a 404, see tests/test_letters_views.py).
    "letters:overview": Entry(ORG, ANY),
    "letters:settings": Entry(ORG, ANY),
    "letters:send": Entry(ORG, POST),
    "letters:job": Entry(ORG, ANY, kwargs=lambda ctx: {"pk": ctx["letter_job"].pk}),
    "letters:job_progress": Entry(ORG, ANY, kwargs=lambda ctx: {"pk": ctx["letter_job"].pk}),
    "letters:preview": Entry(ORG, ANY, kwargs=lambda ctx: {"agency_pk": ctx["agency_b"].pk}),
    "letters:download": Entry(ORG | OP_A, ANY, kwargs=lambda ctx: {"pk": ctx["letter"].pk}),
    "letters:mine": Entry(OPS, ANY),
}


# Agency A's officials: nobody but the organiser, agency A's operator and (for their own
# record) the participant may read these NIPs in a page.
ROOMER_NIP = "198701012012121003"


def add_principals(world: dict) -> dict:
    """The users of the matrix, one per principal, on top of tests.conftest.build_world."""
    from tests.conftest import NIP_FEMALE, NIP_MALE

    users = world["users"]
    program = world["program"]
    batch_x, batch_y = program.batches.get(number=4), program.batches.get(number=5)
    participant_other = make_user(Role.PARTICIPANT, username="peserta-b")
    world["review_submitted"].user = participant_other
    world["review_submitted"].save(update_fields=["user"])
    principals = {
        "organiser": users[Role.ORGANISER],
        "operator_a": users[Role.OPERATOR],
        "operator_b": make_user(Role.OPERATOR, username="operator-b", agency=world["agency_b"]),
        "participant": users[Role.PARTICIPANT],
        "participant_other": participant_other,
        "facilitator_x": users[Role.FACILITATOR],
        "facilitator_y": make_user(Role.FACILITATOR, username="fasilitator-y"),
        "assessor": users[Role.ASSESSOR],
    }
    staff_x = assign_staff(batch=batch_x, user=principals["facilitator_x"])
    assign_staff(batch=batch_y, user=principals["facilitator_y"])
    assign_staff(batch=batch_x, user=principals["assessor"])
    everything = {NIP_MALE, NIP_FEMALE, ROOMER_NIP}
    secrets = {name: everything for name in PRINCIPALS}
    secrets.update({"organiser": set(), "operator_a": set(),
                    "participant": everything - {NIP_MALE},
                    "facilitator_x": everything - {ROOMER_NIP}})  # a member of batch X
    return {**world, "principals": principals, "batch_x": batch_x, "batch_y": batch_y,
            "staff_x": staff_x, "secrets": secrets}


def _add_app_entries() -> None:
    """Each later app declares its routes in tests/matrix/<app>.py as ENTRIES."""
    import importlib
    import pkgutil

    from tests import matrix

    for info in pkgutil.iter_modules(matrix.__path__):
        MATRIX.update(importlib.import_module(f"tests.matrix.{info.name}").ENTRIES)


_add_app_entries()
