"""The registration's one lifecycle: every status change goes through transition().

    nominated → invited → registered → submitted → accepted
        ↘ declined              ↖ revision ↙    ↘ rejected
    invited … accepted → withdrawn (by the organiser, with a reason)

Each Transition names the statuses it leaves from, the one it enters, the roles that may
take it and its guard; transition() checks them under a row lock, changes the status and
writes a StatusLog row (who, when, from, to, reason) in one transaction.

Later stages keep their own records (placement in batching, the topic group in rumpun, the
beds in dormitory; "placed" is derived from the placement, not a status). Guards that need
a later app's data stay in that app: e.g. review checks that the file is complete before it
calls transition("submit"). A later app that holds something of a registration which a
status must give back registers a release function with on_enter() from its
AppConfig.ready(), so this module never imports it.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.accounts.models import Role, User
from kompeten.common.mail import clean_address
from kompeten.registration.models import EDITABLE_STATUSES, Registration, Status, StatusLog

# A guard reads the registration (and who acts: None for a command or the demo loader) and
# returns why the transition may not be taken, or None.
Guard = Callable[[Registration, User | None], str | None]


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str  # the status entered; equal to the source for a logged correction
    roles: frozenset[str]
    guard: Guard | None = None
    requires_reason: bool = False


def _email_deliverable(registration: Registration, _by: User | None) -> str | None:
    try:
        clean_address(registration.email)
    except ValidationError:
        return _("Alamat e-mail %(email)s tidak valid; perbaiki dulu sebelum mengundang.") % {
            "email": repr(registration.email)}
    return None


def _own_file(registration: Registration, by: User | None) -> str | None:
    if by is not None and registration.user_id != by.pk:
        return _("Hanya peserta pemilik berkas yang dapat mengirimnya.")
    return None


ORGANISER = frozenset({Role.ORGANISER})
PARTICIPANT = frozenset({Role.PARTICIPANT})
AFTER_INVITATION = frozenset({Status.INVITED, Status.REGISTERED, Status.SUBMITTED,
                              Status.REVISION, Status.ACCEPTED})

TRANSITIONS: dict[str, Transition] = {t.name: t for t in [
    Transition("invite", gettext_lazy("Undang"), frozenset({Status.NOMINATED, Status.INVITED}),
               Status.INVITED, ORGANISER, guard=_email_deliverable),
    Transition("decline", gettext_lazy("Tolak usulan"), frozenset({Status.NOMINATED}),
               Status.DECLINED, ORGANISER, requires_reason=True),
    Transition("register", gettext_lazy("Konfirmasi undangan"), frozenset({Status.INVITED}),
               Status.REGISTERED, PARTICIPANT),
    Transition("submit", gettext_lazy("Kirim berkas"), frozenset(EDITABLE_STATUSES),
               Status.SUBMITTED, PARTICIPANT, guard=_own_file),
    Transition("accept", gettext_lazy("Terima berkas"), frozenset({Status.SUBMITTED}),
               Status.ACCEPTED, ORGANISER),
    Transition("send_back", gettext_lazy("Kembalikan untuk perbaikan"),
               frozenset({Status.SUBMITTED}), Status.REVISION, ORGANISER),
    Transition("reject", gettext_lazy("Tolak berkas"), frozenset({Status.SUBMITTED}),
               Status.REJECTED, ORGANISER, requires_reason=True),
    Transition("withdraw", gettext_lazy("Tarik peserta"), AFTER_INVITATION, Status.WITHDRAWN,
               ORGANISER, requires_reason=True),
    # Not a change of status: a logged correction of the name after acceptance.
    Transition("correct_name", gettext_lazy("Koreksi nama"), frozenset({Status.ACCEPTED}),
               Status.ACCEPTED, ORGANISER, requires_reason=True),
]}

# Called after a registration entered the status, inside the same transaction:
# callback(registration=..., by=...). Registered by later apps (see the module docstring).
_on_enter: dict[str, list[tuple[int, Callable]]] = {}


def on_enter(status: str, callback: Callable, *, order: int = 50) -> None:
    """Run callback when a registration enters status (lower order first). Idempotent."""
    callbacks = _on_enter.setdefault(status, [])
    if all(existing is not callback for _order, existing in callbacks):
        callbacks.append((order, callback))
        callbacks.sort(key=lambda item: item[0])


def refusal(registration: Registration, name: str, by: User | None,
            reason: str = "", *, check_reason: bool = True) -> str | None:
    """Why `by` may not take the transition now (None: allowed). `by` None is the system."""
    step = TRANSITIONS[name]
    if registration.status not in step.sources:
        return _("%(step)s tidak dapat dilakukan pada status “%(status)s”.") % {
            "step": step.label, "status": registration.get_status_display()}
    if by is not None and by.role not in step.roles:
        return _("Peran Anda tidak dapat melakukan langkah “%(step)s”.") % {"step": step.label}
    if check_reason and step.requires_reason and not reason.strip():
        return _("Langkah “%(step)s” wajib disertai alasan.") % {"step": step.label}
    if step.guard is not None:
        return step.guard(registration, by)
    return None


def can(registration: Registration, name: str, user: User | None) -> bool:
    """Whether the user may take the transition now (a reason, if needed, is asked later)."""
    return refusal(registration, name, user, check_reason=False) is None


@transaction.atomic
def transition(*, registration: Registration, name: str, by: User | None, reason: str = "",
               changes: dict | None = None, now: dt.datetime | None = None) -> Registration:
    """Take one step: lock the row, check source, role, reason and guard, set the status
    (and `changes`, other fields of the same step), log it and run the on_enter callbacks.

    Raises ValidationError (code "transition_refused") when the step is not allowed; the
    caller's instance is updated too.
    """
    step = TRANSITIONS[name]
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    problem = refusal(locked, name, by, reason)
    if problem is not None:
        raise ValidationError(problem, code="transition_refused")
    now = now or timezone.now()
    source = locked.status
    changes = {"status": step.target, **(changes or {})}
    for field, value in changes.items():
        setattr(locked, field, value)
        setattr(registration, field, value)
    locked.save(update_fields=list(changes))
    StatusLog.objects.create(registration=locked, transition=name, from_status=source,
                             to_status=step.target, by=by, at=now, reason=reason.strip())
    if source != step.target:
        for _order, callback in _on_enter.get(step.target, []):
            callback(registration=locked, by=by)
    return locked


def log_created(registrations: list[Registration], *, by: User | None = None,
                reason: str = "", now: dt.datetime | None = None) -> None:
    """Log registrations that were created directly in their status (demo data)."""
    now = now or timezone.now()
    StatusLog.objects.bulk_create(
        [StatusLog(registration=r, transition="create", from_status="", to_status=r.status,
                   by=by, at=now, reason=reason) for r in registrations], batch_size=1000)


# -- what follows from a status -------------------------------------------------------

def file_editable(registration: Registration) -> bool:
    """The participant may change the file (profile, documents, work history, plan) only
    before submitting it and when it was sent back for revision."""
    return registration.status in EDITABLE_STATUSES


def is_active(registration: Registration) -> bool:
    """Still on the way to (or in) the programme: not declined, rejected or withdrawn."""
    return registration.status not in (Status.DECLINED, Status.REJECTED, Status.WITHDRAWN)


def is_accepted(registration: Registration) -> bool:
    return registration.status == Status.ACCEPTED


def is_waiting_for_review(registration: Registration) -> bool:
    return registration.status == Status.SUBMITTED


def check_file_editable(registration: Registration, *, what: str) -> None:
    """Raise ValidationError (code "locked") unless the file may be changed now."""
    if not file_editable(registration):
        raise ValidationError(
            _("%(what)s tidak dapat diubah lagi (status: %(status)s).")
            % {"what": what, "status": registration.get_status_display()}, code="locked")
