"""Bulk actions on nominations: invite, decline or withdraw many at once.

preview() says what would happen to each selected registration (before the organiser
confirms); apply() takes the lifecycle step for each one in its own savepoint, so one
refused row never undoes the others, and reports the outcome per row.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kompeten.accounts.models import User
from kompeten.nominations import services as nomination_services
from kompeten.registration import lifecycle
from kompeten.registration import services as registration_services
from kompeten.registration.models import Registration


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


@transaction.atomic
def apply(*, action: str, registrations: QuerySet[Registration], by: User,
          reason: str = "") -> Result:
    """Take the step for every registration that allows it; declined agencies get one
    e-mail each. Raises ValidationError when the action needs a reason and has none."""
    chosen = ACTIONS[action]
    reason = reason.strip()
    if chosen.requires_reason and not reason:
        raise ValidationError({"reason": [_("Tuliskan alasannya; alasan dicatat di riwayat "
                                            "status peserta.")]})
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
