"""Waves and invitations: planning each batch's waves from the programme's policy, inviting
the participant and the supervisor, reminding them (at most N, D days apart), revoking and
resending a link. Run daily by `manage.py send_monev_invitations` or Celery beat."""

import datetime as dt
import secrets
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kompeten.batching.models import Placement
from kompeten.common.mail import queue_email
from kompeten.monev import tokens
from kompeten.monev.models import (
    Audience,
    Invitation,
    MonevPolicy,
    SendKind,
    SentMail,
    SupervisorChange,
    Wave,
)
from kompeten.monev.questionnaires import ensure_defaults
from kompeten.programs.models import Batch, Program
from kompeten.registration.models import Registration


def policy_for(program: Program) -> MonevPolicy:
    """The programme's policy, or the defaults (unsaved) when the organiser set none."""
    return MonevPolicy.objects.filter(program=program).first() or MonevPolicy(program=program)


def wave_dates(*, batch: Batch, offset_months: int, closing_days: int) -> tuple[dt.date, dt.date]:
    opens = batch.end_date + relativedelta(months=offset_months)
    return opens, opens + dt.timedelta(days=closing_days)


def expiry(closes_on: dt.date) -> dt.datetime:
    """A link works until the end of the closing day (Jakarta time)."""
    return timezone.make_aware(dt.datetime.combine(closes_on + dt.timedelta(days=1), dt.time()))


@transaction.atomic
def plan_waves(*, program: Program) -> int:
    """Create the waves of every batch for the policy's offsets; existing waves keep their
    dates (answers may refer to them). Returns how many were created."""
    policy = policy_for(program)
    existing = set(Wave.objects.filter(program=program)
                   .values_list("batch_id", "offset_months"))
    new = []
    for batch in Batch.objects.filter(program=program):
        for offset in policy.offset_list:
            if (batch.pk, offset) in existing:
                continue
            opens, closes = wave_dates(batch=batch, offset_months=offset,
                                       closing_days=policy.closing_days)
            new.append(Wave(program=program, batch=batch, offset_months=offset,
                            opens_on=opens, closes_on=closes))
    Wave.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


@dataclass(frozen=True)
class Supervisor:
    name: str
    nip: str
    position: str
    email: str
    changed: bool


def current_supervisors(registration_ids) -> dict[int, Supervisor]:
    """The latest supervisor the participant told in monev, else the one of registration."""
    result = {}
    for r in Registration.objects.filter(pk__in=registration_ids).only(
            "mentor_name", "mentor_nip", "mentor_position", "mentor_email"):
        result[r.pk] = Supervisor(r.mentor_name, r.mentor_nip, r.mentor_position,
                                  r.mentor_email, False)
    for change in SupervisorChange.objects.filter(
            registration_id__in=registration_ids).order_by("registration_id", "at", "pk"):
        result[change.registration_id] = Supervisor(change.name, change.nip, change.position,
                                                    change.email, True)
    return result


def _new_invitation(*, wave: Wave, registration_id: int, audience: str, name: str,
                    email: str) -> Invitation:
    return Invitation(wave=wave, registration_id=registration_id, audience=audience,
                      name=name[:200], email=email, token_salt=tokens.new_salt(),
                      token_hash=secrets.token_hex(32), expires_at=expiry(wave.closes_on))


def _seal(invitations: list[Invitation]) -> None:
    """The token needs the row's id: hash it once the rows exist."""
    for invitation in invitations:
        invitation.token_hash = tokens.token_hash(tokens.token_for(
            invitation_id=invitation.pk, salt=invitation.token_salt))
    Invitation.objects.bulk_update(invitations, ["token_hash"])


@transaction.atomic
def ensure_invitations(*, wave: Wave) -> int:
    """An invitation for every participant placed in the wave's batch and for their current
    supervisor (when an e-mail address is known)."""
    placed = list(Placement.objects.filter(batch=wave.batch)
                  .values_list("registration_id", "registration__full_name",
                               "registration__email"))
    live = set(Invitation.objects.filter(wave=wave, revoked_at__isnull=True)
               .values_list("registration_id", "audience"))
    supervisors = current_supervisors([r for r, _n, _e in placed])
    new = []
    for registration_id, name, email in placed:
        if (registration_id, Audience.PARTICIPANT) not in live and email:
            new.append(_new_invitation(wave=wave, registration_id=registration_id,
                                       audience=Audience.PARTICIPANT, name=name, email=email))
        boss = supervisors.get(registration_id)
        if (registration_id, Audience.SUPERVISOR) not in live and boss and boss.email:
            new.append(_new_invitation(wave=wave, registration_id=registration_id,
                                       audience=Audience.SUPERVISOR, name=boss.name or "-",
                                       email=boss.email))
    # Rows of a person already asked (a revoked link, a supervisor who came back) stay.
    asked = set(Invitation.objects.filter(wave=wave).values_list(
        "registration_id", "audience", "email"))
    new = [i for i in new if (i.registration_id, i.audience, i.email) not in asked]
    created = Invitation.objects.bulk_create(new)
    _seal(created)
    return len(created)


def link_for(invitation: Invitation) -> str:
    token = tokens.token_for(invitation_id=invitation.pk, salt=invitation.token_salt)
    return f"{settings.SITE_URL.rstrip('/')}{reverse('monev:token_form', args=[token])}"


def _mail(invitation: Invitation, kind: str) -> dict:
    wave = invitation.wave
    participant = invitation.registration
    values = {"name": invitation.name, "participant": participant.full_name,
              "months": wave.offset_months, "closes": wave.closes_on.strftime("%d-%m-%Y"),
              "link": link_for(invitation), "program": wave.program.name}
    if invitation.audience == Audience.PARTICIPANT:
        body = _("Yth. %(name)s,\n\nSudah %(months)s bulan sejak Anda mengikuti %(program)s. "
                 "Mohon isi kuesioner monitoring dan evaluasi tentang rencana tindak lanjut "
                 "Anda dan dampak pelatihan terhadap kinerja, paling lambat %(closes)s:\n\n"
                 "%(link)s\n\nTautan ini khusus untuk Anda; jangan diteruskan.") % values
    else:
        body = _("Yth. %(name)s,\n\n%(participant)s, pegawai yang Bapak/Ibu bina, mengikuti "
                 "%(program)s %(months)s bulan yang lalu. Mohon nilai penerapan hasil "
                 "pelatihannya melalui kuesioner singkat berikut, paling lambat %(closes)s "
                 "(tanpa perlu akun):\n\n%(link)s\n\nTautan ini khusus untuk Bapak/Ibu; "
                 "jangan diteruskan.") % values
    subject = {SendKind.REMINDER: _("Pengingat: kuesioner monev %(months)s bulan"),
               }.get(kind, _("Kuesioner monev %(months)s bulan pascapelatihan")) % values
    return {"subject": subject, "body": body, "to": [invitation.email]}


def _claim_and_queue(invitation: Invitation, kind: str, number: int,
                     now: dt.datetime) -> bool:
    """Insert the sent-log row first; a row already there means someone sent it."""
    try:
        with transaction.atomic():
            sent = SentMail.objects.create(invitation=invitation, kind=kind, number=number,
                                           sent_at=now)
            sent.mail = queue_email(**_mail(invitation, kind))
            sent.save(update_fields=["mail"])
    except IntegrityError:
        return False
    return True


@dataclass
class SendReport:
    waves_planned: int = 0
    invitations_created: int = 0
    invitations_sent: int = 0
    reminders_sent: int = 0
    skipped: list[str] = field(default_factory=list)


def send_due(*, today: dt.date | None = None, now: dt.datetime | None = None) -> SendReport:
    """Everything due today; running it twice the same day sends nothing more."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    report = SendReport()
    for program in Program.objects.filter(is_active=True):
        report.waves_planned += plan_waves(program=program)
    waves = list(Wave.objects.filter(opens_on__lte=today, closes_on__gte=today)
                 .select_related("program", "batch"))
    policies = {p.program_id: p for p in MonevPolicy.objects.filter(
        program__in={w.program_id for w in waves})}
    for program in {w.program for w in waves}:
        ensure_defaults(program=program)  # nobody is invited to an empty questionnaire
    for wave in waves:
        report.invitations_created += ensure_invitations(wave=wave)
        policy = policies.get(wave.program_id) or MonevPolicy()
        invitations = (Invitation.objects.filter(wave=wave, revoked_at__isnull=True)
                       .exclude(response__submitted_at__isnull=False)
                       .select_related("registration", "wave__program")
                       .prefetch_related("sent"))
        for invitation in invitations:
            sent = list(invitation.sent.all())
            if not any(s.kind == SendKind.INVITATION for s in sent):
                report.invitations_sent += _claim_and_queue(
                    invitation, SendKind.INVITATION, 0, now)
                continue
            reminders = sum(1 for s in sent if s.kind == SendKind.REMINDER)
            last = max(s.sent_at for s in sent)
            if reminders >= policy.max_reminders:
                continue
            if timezone.localdate(last) > today - dt.timedelta(days=policy.reminder_gap_days):
                continue
            report.reminders_sent += _claim_and_queue(
                invitation, SendKind.REMINDER, reminders + 1, now)
    return report


def _live_check(invitation: Invitation) -> None:
    if hasattr(invitation, "response") and invitation.response.submitted_at:
        raise ValidationError(_("Kuesioner ini sudah dikirim; tautannya tidak perlu diubah."),
                              code="submitted")


@transaction.atomic
def revoke(*, invitation: Invitation, now: dt.datetime | None = None) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.revoked_at is not None:
        raise ValidationError(_("Tautan ini sudah dicabut."), code="revoked")
    invitation.revoked_at = now or timezone.now()
    invitation.token_salt = tokens.new_salt()
    invitation.token_hash = secrets.token_hex(32)  # no token hashes to this
    invitation.save(update_fields=["revoked_at", "token_salt", "token_hash"])
    return invitation


@transaction.atomic
def resend(*, invitation: Invitation, now: dt.datetime | None = None) -> Invitation:
    """A new link (the old one stops working) sent at once, also after a revocation."""
    now = now or timezone.now()
    invitation = (Invitation.objects.select_for_update().select_related("wave__program",
                                                                         "registration")
                  .get(pk=invitation.pk))
    _live_check(invitation)
    if timezone.localdate(now) > invitation.wave.closes_on:
        raise ValidationError(_("Gelombang ini sudah ditutup."), code="closed")
    if invitation.revoked_at and Invitation.objects.filter(
            wave=invitation.wave, registration=invitation.registration,
            audience=invitation.audience, revoked_at__isnull=True).exists():
        raise ValidationError(_("Sudah ada tautan lain yang berlaku untuk responden ini."),
                              code="other_live")
    invitation.revoked_at = None
    invitation.token_salt = tokens.new_salt()
    invitation.token_hash = tokens.token_hash(tokens.token_for(
        invitation_id=invitation.pk, salt=invitation.token_salt))
    invitation.expires_at = expiry(invitation.wave.closes_on)
    invitation.save(update_fields=["revoked_at", "token_salt", "token_hash", "expires_at"])
    number = invitation.sent.filter(kind=SendKind.RESEND).count() + 1
    if not _claim_and_queue(invitation, SendKind.RESEND, number, now):
        raise ValidationError(_("Tautan sedang dikirim; coba lagi sebentar."), code="busy")
    return invitation


def replace_supervisor_invitations(*, registration: Registration, supervisor: Supervisor,
                                   today: dt.date) -> int:
    """After the participant names a new supervisor: the unanswered links of the open waves
    go to the new person (the old link is revoked); answered ones stay."""
    changed = 0
    waves = Wave.objects.filter(batch__placements__registration=registration,
                                opens_on__lte=today, closes_on__gte=today)
    for wave in waves:
        old = (Invitation.objects.select_for_update()
               .filter(wave=wave, registration=registration, audience=Audience.SUPERVISOR,
                       revoked_at__isnull=True).first())
        if old is not None:
            if old.email == supervisor.email:
                if old.name != supervisor.name:
                    Invitation.objects.filter(pk=old.pk).update(name=supervisor.name[:200])
                continue
            if hasattr(old, "response") and old.response.submitted_at:
                continue
            revoke(invitation=old)
        again = Invitation.objects.filter(wave=wave, registration=registration,
                                          audience=Audience.SUPERVISOR,
                                          email=supervisor.email).first()
        if again is not None:
            Invitation.objects.filter(pk=again.pk).update(revoked_at=None)
            resend(invitation=again)
        else:
            _seal(Invitation.objects.bulk_create([_new_invitation(
                wave=wave, registration_id=registration.pk, audience=Audience.SUPERVISOR,
                name=supervisor.name, email=supervisor.email)]))
        changed += 1
    return changed
