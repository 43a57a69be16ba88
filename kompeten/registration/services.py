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
from kompeten.common.mail import queue_email
from kompeten.registration.models import Invitation, Registration, Status

INVITATION_VALID_DAYS = 14


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invite(*, registration: Registration, now: dt.datetime | None = None) -> str:
    """Accept a nomination and e-mail a single-use link; returns the raw token.

    Inviting again (a lost e-mail) revokes the earlier links.
    """
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status not in (Status.NOMINATED, Status.INVITED):
        raise ValidationError(_("Peserta ini sudah terdaftar atau usulannya ditolak."))
    now = now or timezone.now()
    registration.invitations.filter(used_at__isnull=True).update(revoked=True)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        registration=registration, token_hash=_token_hash(token),
        expires_at=now + dt.timedelta(days=INVITATION_VALID_DAYS))
    registration.status = Status.INVITED
    registration.save(update_fields=["status"])
    link = settings.SITE_URL + reverse("registration:accept_invitation", args=[token])
    body = render_to_string("registration/email/invitation.txt", {
        "registration": registration, "link": link, "expires_at": invitation.expires_at,
        "program": registration.program})
    queue_email(subject=_("Undangan %(program)s") % {"program": registration.program},
                body=body, to=[registration.email])
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
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, password: str, now: dt.datetime | None = None) -> User:
    """The official confirms: a participant account (username = NIP) is created."""
    now = now or timezone.now()
    invitation = invitation_for_token(token=token, now=now)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.used_at is not None:
        raise InvitationInvalid(_("Tautan undangan ini sudah dipakai."))
    registration = invitation.registration
    user = User.objects.filter(username=registration.nip).first()
    if user is None:
        first, _sep, last = registration.full_name.partition(" ")
        user = User(username=registration.nip, role=Role.PARTICIPANT, email=registration.email,
                    first_name=first[:150], last_name=last[:150])
    elif user.role != Role.PARTICIPANT:
        raise InvitationInvalid(_("NIP ini sudah dipakai oleh akun lain; hubungi penyelenggara."))
    user.set_password(password)
    user.save()
    invitation.used_at = now
    invitation.save(update_fields=["used_at"])
    registration.user = user
    registration.status = Status.REGISTERED
    registration.registered_at = now
    registration.save(update_fields=["user", "status", "registered_at"])
    return user
