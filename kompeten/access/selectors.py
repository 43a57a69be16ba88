from django.db.models import QuerySet

from kompeten.access.models import BatchStaff, StaffRole
from kompeten.accounts.models import User
from kompeten.programs.models import Batch


def batch_staff(*, batch: Batch) -> QuerySet[BatchStaff]:
    return BatchStaff.objects.filter(batch=batch).select_related("user")


def assignable_staff(*, batch: Batch) -> QuerySet[User]:
    """Active facilitators and assessors not yet serving the batch."""
    return (User.objects.filter(role__in=StaffRole.values, is_active=True)
            .exclude(batch_roles__batch=batch).order_by("role", "first_name", "username"))
