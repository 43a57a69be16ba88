"""Nominations, invitations and registration: the official's way into a programme."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kompeten.access.rules import can
from kompeten.accounts.models import Role, User
from kompeten.programs import selectors as program_selectors
from kompeten.programs.models import Agency, Level, Program, ProgramQuota, StageKind
from kompeten.registration.identity import normalise_phone, parse_nip, plain_name
from kompeten.registration.models import Gender, Registration, Status


@dataclass(frozen=True)
class Nominee:
    """What an agency operator enters for one official."""

    nip: str
    full_name: str
    position: str
    email: str
    work_unit: str = ""
    phone: str = ""
    is_pppk: bool = False
    gender: str = ""  # only needed for PPPK, whose number does not encode it


def check_nominee(nominee: Nominee) -> dict:
    """Validate and derive the stored fields; raises ValidationError keyed by field."""
    errors: dict[str, list[str]] = {}
    fields = {"nip": nominee.nip.strip().replace(" ", ""), "is_pppk": nominee.is_pppk,
              "full_name": " ".join(nominee.full_name.split()),
              "position": nominee.position.strip(), "work_unit": nominee.work_unit.strip(),
              "email": nominee.email.strip().lower()}
    try:
        info = parse_nip(fields["nip"], is_pppk=nominee.is_pppk)
    except ValidationError as exc:
        errors["nip"] = exc.messages
    else:
        fields["birth_date"] = info.birth_date
        gender = info.gender or nominee.gender
        if gender not in Gender.values:
            errors["gender"] = [_("Pilih jenis kelamin (nomor PPPK tidak memuatnya).")]
        fields["gender"] = gender
    if not fields["full_name"]:
        errors["full_name"] = [_("Nama wajib diisi.")]
    else:
        fields["plain_name"] = plain_name(fields["full_name"])
    if not fields["position"]:
        errors["position"] = [_("Jabatan wajib diisi.")]
    if "@" not in fields["email"] or "." not in fields["email"].rsplit("@", 1)[-1]:
        errors["email"] = [_("Alamat e-mail tidak valid.")]
    if nominee.phone.strip():
        try:
            fields["phone"] = normalise_phone(nominee.phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return fields


def duplicate_message(existing: Registration, *, viewer: User | None) -> str:
    """Who nominated the NIP, at which level and in which status is told only to whoever
    may see that registration (the organiser, the same agency; viewer None is the server's
    command line); to another agency's operator a typed NIP must not reveal it."""
    if viewer is not None and not can(viewer, "registration.view", existing):
        return _("NIP %(nip)s sudah diusulkan dalam penyelenggaraan ini.") % {"nip": existing.nip}
    return _("NIP %(nip)s sudah diusulkan dalam penyelenggaraan ini oleh %(agency)s "
             "(jenjang %(level)s, status: %(status)s).") % {
        "nip": existing.nip, "agency": existing.agency.name, "level": existing.level.name,
        "status": existing.get_status_display()}


def seats_for(*, program: Program, level: Level) -> int:
    quota = ProgramQuota.objects.filter(program=program, level=level).first()
    return quota.seats_per_agency if quota else 0


def check_nomination_open(*, program: Program, by: User | None,
                          today: dt.date | None = None) -> None:
    """Operators nominate only while the programme's nomination stage is open; the
    organiser may still add a late nomination."""
    if by is None or by.role != Role.OPERATOR:
        return
    today = today or timezone.localdate()
    if program_selectors.stage_open(program=program, kind=StageKind.NOMINATION, today=today):
        return
    window = program_selectors.stage_window(program=program, kind=StageKind.NOMINATION)
    raise ValidationError(
        _("Masa usulan peserta %(start)s s.d. %(end)s; di luar masa itu usulan hanya dapat "
          "ditambahkan oleh penyelenggara.") % {"start": window[0].strftime("%d-%m-%Y"),
                                               "end": window[1].strftime("%d-%m-%Y")},
        code="nomination_closed")


@transaction.atomic
def nominate(*, program: Program, agency: Agency, level: Level, nominee: Nominee,
             by: User | None, today: dt.date | None = None) -> Registration:
    """Propose one official; enforces the nomination window (for operators), the NIP
    rules, one registration per NIP and the quota.

    The agency row is locked so two operators of one agency queue up; the
    seat constraint in the database backs this up on every backend.
    """
    check_nomination_open(program=program, by=by, today=today)
    fields = check_nominee(nominee)
    Agency.objects.select_for_update().filter(pk=agency.pk).first()
    existing = (Registration.objects.select_related("agency", "level")
                .filter(program=program, nip=fields["nip"]).first())
    if existing is not None:
        raise ValidationError({"nip": [duplicate_message(existing, viewer=by)]})
    seats = seats_for(program=program, level=level)
    taken = set(Registration.objects.filter(program=program, agency=agency, level=level)
                .exclude(status=Status.DECLINED).values_list("seat", flat=True))
    free = [seat for seat in range(1, seats + 1) if seat not in taken]
    if not free:
        raise ValidationError(
            _("Kuota %(level)s untuk %(agency)s sudah penuh (%(taken)s dari %(seats)s terpakai).")
            % {"level": level.name, "agency": agency.name, "taken": len(taken), "seats": seats},
            code="quota_full")
    try:
        with transaction.atomic():
            return Registration.objects.create(
                program=program, agency=agency, level=level, seat=free[0], nominated_by=by,
                **fields)
    except IntegrityError as exc:
        # Another transaction took the seat or the NIP between our check and insert.
        existing = Registration.objects.filter(program=program, nip=fields["nip"]).first()
        if existing is not None:
            raise ValidationError({"nip": [duplicate_message(existing, viewer=by)]}) from exc
        raise ValidationError(
            _("Kuota %(level)s untuk %(agency)s sudah penuh.")
            % {"level": level.name, "agency": agency.name}, code="quota_full") from exc


@transaction.atomic
def withdraw_nomination(*, registration: Registration) -> None:
    """An agency takes back a nomination that has not been invited yet."""
    if registration.status != Status.NOMINATED:
        raise ValidationError(_("Hanya usulan yang belum diundang dapat ditarik."))
    registration.delete()


@transaction.atomic
def decline_nomination(*, registration: Registration) -> None:
    """The organiser declines a nomination; its quota seat becomes free again."""
    if registration.status != Status.NOMINATED:
        raise ValidationError(_("Hanya usulan yang belum diundang dapat ditolak."))
    registration.status = Status.DECLINED
    registration.save(update_fields=["status"])


