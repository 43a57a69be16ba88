"""Invitations: a single-use link by which a nominee confirms and gets an account."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kompeten.accounts.models import Role, User
from kompeten.common import pagecache
from kompeten.common.mail import queue_email
from kompeten.registration import lifecycle
from kompeten.registration.identity import plain_name
from kompeten.registration.models import Invitation, Registration, Status

INVITATION_VALID_DAYS = 14


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def existing_account(registration: Registration) -> User | None:
    """The account of the official (username = NIP), e.g. from an earlier programme."""
    return User.objects.filter(username=registration.nip).first()


@transaction.atomic
def invite(*, registration: Registration, by: User | None = None,
           now: dt.datetime | None = None) -> str:
    """Accept a nomination and e-mail a single-use link; returns the raw token.

    Inviting again (a lost or failed e-mail) revokes the earlier links. An invalid address
    refuses the whole step: the registration never stays "invited" without its e-mail.
    """
    now = now or timezone.now()
    registration = lifecycle.transition(registration=registration, name="invite", by=by,
                                        now=now)
    registration.invitations.filter(used_at__isnull=True).update(revoked=True)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        registration=registration, token_hash=_token_hash(token),
        expires_at=now + dt.timedelta(days=INVITATION_VALID_DAYS))
    link = settings.SITE_URL + reverse("registration:accept_invitation", args=[token])
    body = render_to_string("registration/email/invitation.txt", {
        "registration": registration, "link": link, "expires_at": invitation.expires_at,
        "program": registration.program,
        "has_account": existing_account(registration) is not None})
    invitation.mail = queue_email(
        subject=_("Undangan %(program)s") % {"program": registration.program},
        body=body, to=[registration.email])
    invitation.save(update_fields=["mail"])
    return token


class InvitationInvalid(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def invitation_for_token(*, token: str, now: dt.datetime | None = None) -> Invitation:
    now = now or timezone.now()
    invitation = (Invitation.objects.select_related("registration__program",
                                                    "registration__agency",
                                                    "registration__level")
                  .filter(token_hash=_token_hash(token)).first())
    if invitation is None or invitation.revoked:
        raise InvitationInvalid(_("Tautan undangan tidak dikenal atau sudah diganti dengan "
                                  "undangan yang lebih baru."))
    if invitation.used_at is not None:
        raise InvitationInvalid(_("Tautan undangan ini sudah dipakai. Silakan masuk dengan "
                                  "NIP dan kata sandi Anda."))
    if invitation.expires_at < now:
        raise InvitationInvalid(_("Tautan undangan sudah kedaluwarsa. Mintalah undangan baru "
                                  "kepada penyelenggara."))
    if invitation.registration.status != Status.INVITED:
        raise InvitationInvalid(_("Undangan ini tidak berlaku lagi (status pendaftaran: "
                                  "%(status)s).")
                                % {"status": invitation.registration.get_status_display()})
    return invitation


class AccountExists(InvitationInvalid):
    """The NIP already has an account: its holder logs in with it, nobody sets a password."""


def _lock_unused(token: str, now: dt.datetime) -> Invitation:
    invitation = invitation_for_token(token=token, now=now)
    invitation = (Invitation.objects.select_for_update(of=("self",))
                  .select_related("registration").get(pk=invitation.pk))
    if invitation.used_at is not None or invitation.revoked:
        raise InvitationInvalid(_("Tautan undangan ini sudah dipakai."))
    return invitation


def _register(*, invitation: Invitation, user: User, now: dt.datetime) -> Registration:
    invitation.used_at = now
    invitation.save(update_fields=["used_at"])
    registration = invitation.registration
    # One e-mail per person: the account's e-mail is the participant's e-mail; the address
    # on the nomination only seeds a new account.
    return lifecycle.transition(
        registration=registration, name="register", by=user, now=now,
        changes={"user": user, "registered_at": now,
                 "email": user.email or registration.email})


@transaction.atomic
def accept_invitation(*, token: str, password: str, now: dt.datetime | None = None) -> User:
    """A first-time official confirms: a participant account (username = NIP) is created.

    Never for a NIP that has an account already (AccountExists): setting a password there
    would hand the account, and the documents of earlier programmes, to whoever controls
    the nomination's e-mail address."""
    now = now or timezone.now()
    invitation = _lock_unused(token, now)
    registration = invitation.registration
    if existing_account(registration) is not None:
        raise AccountExists(_("Sudah ada akun untuk NIP %(nip)s. Masuk dengan akun tersebut "
                              "untuk mengonfirmasi undangan, atau atur ulang kata sandinya "
                              "melalui e-mail yang terdaftar pada akun itu.")
                            % {"nip": registration.nip})
    first, _sep, last = registration.full_name.partition(" ")
    user = User(username=registration.nip, role=Role.PARTICIPANT,
                email=registration.email.strip().lower(),
                first_name=first[:150], last_name=last[:150])
    user.set_password(password)
    user.save()
    _register(invitation=invitation, user=user, now=now)
    return user


@transaction.atomic
def accept_invitation_as(*, token: str, user: User, now: dt.datetime | None = None
                         ) -> Registration:
    """An official who has an account confirms while logged in with it; the account (its
    password and e-mail) stays as it is."""
    now = now or timezone.now()
    invitation = _lock_unused(token, now)
    registration = invitation.registration
    if user.username != registration.nip:
        raise InvitationInvalid(_("Undangan ini untuk NIP %(nip)s, sedangkan Anda masuk "
                                  "sebagai %(username)s. Keluar, lalu masuk dengan akun NIP "
                                  "tersebut.") % {"nip": registration.nip,
                                                  "username": user.username})
    if user.role != Role.PARTICIPANT:
        raise InvitationInvalid(_("NIP ini sudah dipakai oleh akun lain; hubungi "
                                  "penyelenggara."))
    return _register(invitation=invitation, user=user, now=now)


@transaction.atomic
def withdraw(*, registration: Registration, by: User | None, reason: str) -> Registration:
    """The organiser takes a participant out (with a reason). What later stages hold for
    the registration (batch seat, topic group, dormitory beds) is released in the same
    transaction by their on_enter(WITHDRAWN) callbacks."""
    return lifecycle.transition(registration=registration, name="withdraw", by=by,
                                reason=reason)


@transaction.atomic
def correct_name(*, registration: Registration, full_name: str, by: User | None,
                 reason: str) -> Registration:
    """After acceptance only the organiser changes the name; the old and the new name are
    kept in the status log."""
    full_name = " ".join(full_name.split())
    if not full_name:
        raise ValidationError({"full_name": [_("Nama wajib diisi.")]})
    if full_name == registration.full_name:
        raise ValidationError({"full_name": [_("Nama tidak berubah.")]})
    note = _("Nama: “%(old)s” → “%(new)s”. %(reason)s") % {
        "old": registration.full_name, "new": full_name, "reason": reason.strip()}
    if not reason.strip():
        note = ""
    corrected = lifecycle.transition(registration=registration, name="correct_name", by=by,
                                     reason=note, changes={"full_name": full_name,
                                                           "plain_name": plain_name(full_name)})
    pagecache.bump(pagecache.ANNOUNCEMENT)  # the public class lists show the name
    return corrected
