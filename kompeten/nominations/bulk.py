"""Bulk actions on nominations: invite, decline or withdraw many at once.

preview() says what would happen to each selected registration (before the organiser
confirms); apply() takes the lifecycle step for each one in its own savepoint, so one
refused row never undoes the others, and reports the outcome per row. start() runs a
small selection at once and a large one (a whole year is 1,500 rows, ~10 s) as a
background job whose BulkRun shows the progress and the per-row outcome.
"""

from dataclasses import dataclass, field

from celery import shared_task
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompeten.accounts.models import User
from kompeten.common import jobs
from kompeten.common.jobs import dispatch
from kompeten.nominations import services as nomination_services
from kompeten.nominations.models import BulkRun
from kompeten.programs.models import Program
from kompeten.registration import lifecycle
from kompeten.registration import services as registration_services
from kompeten.registration.models import Registration, StatusLog


@dataclass(frozen=True)
class Action:
    name: str  # the lifecycle transition
    label: str
    verb_done: str
    requires_reason: bool
    consequence: str


ACTIONS: dict[str, Action] = {a.name: a for a in [
    Action("invite", _("Terima dan undang"), _("diundang"), False,
           _("Setiap peserta menerima e-mail berisi tautan pendaftaran sekali pakai (berlaku "
             "14 hari); tautan yang dikirim sebelumnya tidak berlaku lagi. Pejabat yang "
             "sudah memiliki akun diminta masuk dengan akun itu.")),
    Action("decline", _("Tolak usulan"), _("ditolak"), True,
           _("Usulan ditolak dan kuota instansi untuk peserta tersebut tersedia lagi. Operator "
             "setiap instansi yang bersangkutan menerima e-mail berisi nama peserta dan "
             "alasan penolakan.")),
    Action("withdraw", _("Tarik peserta"), _("ditarik"), True,
           _("Peserta ditarik dari penyelenggaraan: undangan dan berkasnya tidak dapat "
             "dilanjutkan, kursi angkatan, rumpun dan tempat tidur asramanya dibebaskan. "
             "Langkah ini tidak dapat dibatalkan; alasannya tercatat di riwayat status.")),
]}


@dataclass
class Preview:
    action: Action
    ready: list[Registration] = field(default_factory=list)
    refused: list[tuple[Registration, str]] = field(default_factory=list)

    @property
    def agencies(self) -> int:
        return len({r.agency_id for r in self.ready})


@dataclass
class Result:
    action: Action
    done: list[Registration] = field(default_factory=list)
    refused: list[tuple[Registration, str]] = field(default_factory=list)
    emails: int = 0


def preview(*, action: str, registrations: QuerySet[Registration], by: User) -> Preview:
    result = Preview(action=ACTIONS[action])
    for registration in registrations.select_related("agency", "level"):
        problem = lifecycle.refusal(registration, action, by, check_reason=False)
        if problem is None:
            result.ready.append(registration)
        else:
            result.refused.append((registration, problem))
    return result


def _apply_one(action: str, registration: Registration, by: User, reason: str) -> None:
    if action == "invite":
        registration_services.invite(registration=registration, by=by)
    elif action == "decline":
        nomination_services.decline_nomination(registration=registration, by=by,
                                               reason=reason, notify=False)
    else:
        registration_services.withdraw(registration=registration, by=by, reason=reason)


# Up to this many rows run inside the request; more go to a background job.
SYNC_LIMIT = 100


def _check_reason(action: str, reason: str) -> str:
    reason = reason.strip()
    if ACTIONS[action].requires_reason and not reason:
        raise ValidationError({"reason": [_("Tuliskan alasannya; alasan dicatat di riwayat "
                                            "status peserta.")]})
    return reason


@transaction.atomic
def start(*, program: Program, action: str, registrations: QuerySet[Registration], by: User,
          reason: str = "") -> Result | BulkRun:
    """apply() now for a few rows; a BulkRun processed by a background job for many."""
    reason = _check_reason(action, reason)
    ids = list(registrations.values_list("pk", flat=True))
    if len(ids) <= SYNC_LIMIT:
        return apply(action=action, registrations=registrations, by=by, reason=reason)
    run = BulkRun.objects.create(program=program, action=action, reason=reason, by=by,
                                 registration_ids=ids, total=len(ids))
    dispatch(run_bulk, run_id=run.pk)
    return run


@shared_task(acks_late=True)
def run_bulk(*, run_id: int) -> None:
    """The background job: one transaction per row, so the progress shows and a restart
    after an interruption continues with the rows not yet processed."""
    run = BulkRun.objects.select_related("by").get(pk=run_id)
    # Rows refused or stepped already (by an interrupted earlier attempt of this run).
    seen = {row[0] for row in run.refused} | set(
        StatusLog.objects.filter(registration_id__in=run.registration_ids,
                                 transition=run.action, at__gte=run.created_at)
        .values_list("registration_id", flat=True))
    rows = (Registration.objects.filter(pk__in=run.registration_ids)
            .select_related("agency", "level", "program").order_by("pk"))
    done = []
    for registration in rows:
        if registration.pk in seen:
            continue
        jobs.beat()  # the heartbeat the reaper watches; stops here when cancelled
        try:
            with transaction.atomic():
                _apply_one(run.action, registration, run.by, run.reason)
        except ValidationError as exc:
            run.refused.append([registration.pk, registration.full_name,
                                " ".join(exc.messages)])
            BulkRun.objects.filter(pk=run.pk).update(refused=run.refused)
        else:
            done.append(registration)
            run.done += 1
            BulkRun.objects.filter(pk=run.pk).update(done=run.done)
    if run.action == "invite":
        run.emails = run.done
    elif run.action == "decline" and done:
        with transaction.atomic():
            run.emails = nomination_services.notify_declined(registrations=done,
                                                             reason=run.reason)
    BulkRun.objects.filter(pk=run.pk).update(emails=run.emails, finished_at=timezone.now())


@transaction.atomic
def apply(*, action: str, registrations: QuerySet[Registration], by: User,
          reason: str = "") -> Result:
    """Take the step for every registration that allows it; declined agencies get one
    e-mail each. Raises ValidationError when the action needs a reason and has none."""
    chosen = ACTIONS[action]
    reason = _check_reason(action, reason)
    result = Result(action=chosen)
    for registration in registrations.select_related("agency", "level", "program"):
        try:
            with transaction.atomic():
                _apply_one(action, registration, by, reason)
        except ValidationError as exc:
            result.refused.append((registration, " ".join(exc.messages)))
        else:
            result.done.append(registration)
    if action == "invite":
        result.emails = len(result.done)
    elif action == "decline" and result.done:
        result.emails = nomination_services.notify_declined(registrations=result.done,
                                                            reason=reason)
    return result
