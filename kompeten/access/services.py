"""Assigning facilitators and assessors to the batches they serve."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kompeten.access.models import BatchStaff, StaffRole
from kompeten.accounts.models import User
from kompeten.programs.models import Batch


@transaction.atomic
def assign_staff(*, batch: Batch, user: User) -> BatchStaff:
    """The user serves the batch in their own role (facilitator or assessor)."""
    if user.role not in StaffRole.values:
        raise ValidationError(_("Hanya fasilitator atau asesor yang dapat ditugaskan di angkatan."))
    try:
        with transaction.atomic():
            return BatchStaff.objects.create(batch=batch, user=user, role=user.role)
    except IntegrityError as exc:
        raise ValidationError(_("%(name)s sudah bertugas di angkatan ini.")
                              % {"name": user.get_full_name() or user.username}) from exc


@transaction.atomic
def remove_staff(*, staff: BatchStaff) -> None:
    staff.delete()
