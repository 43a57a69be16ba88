"""Who may do what, in one place: roles per named permission, the object rules behind
them, the one agency scope every selector of agency data applies, and the batches a
facilitator or assessor serves.

Pages check the roles (kompeten.access.decorators); a view that loads one object asks
``can(user, name, obj)`` or reads it through a selector scoped here, so another agency's
object is a 404, never a hint that it exists."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet

from kompeten.accounts.models import Role, User
from kompeten.programs.models import Agency, Batch

ORGANISER = frozenset({Role.ORGANISER})
OPERATOR = frozenset({Role.OPERATOR})
AGENCY_SIDE = frozenset({Role.ORGANISER, Role.OPERATOR})
PARTICIPANT = frozenset({Role.PARTICIPANT})
BATCH_STAFF = frozenset({Role.FACILITATOR, Role.ASSESSOR})


def scope_to_agency(queryset: QuerySet, user: User, field: str = "agency") -> QuerySet:
    """The rows of ``queryset`` whose ``field`` (an agency) the user may see: organisers
    all, an operator their own agency's, everyone else none."""
    if not user.is_authenticated:
        return queryset.none()
    if user.role == Role.ORGANISER:
        return queryset
    if user.role == Role.OPERATOR and user.agency_id:
        return queryset.filter(**{field: user.agency_id})
    return queryset.none()


def batches_for(user: User) -> QuerySet[Batch]:
    """Organisers see every batch; facilitators and assessors the batches they serve."""
    if not user.is_authenticated:
        return Batch.objects.none()
    if user.role == Role.ORGANISER:
        return Batch.objects.all()
    if user.role in BATCH_STAFF:
        return Batch.objects.filter(staff__user=user, staff__role=user.role).distinct()
    return Batch.objects.none()


def _agency_id(obj: Model) -> int | None:
    return obj.pk if isinstance(obj, Agency) else obj.agency_id


def _same_agency(user: User, obj: Model) -> bool:
    if user.role == Role.ORGANISER:
        return True
    return user.role == Role.OPERATOR and user.agency_id is not None and (
        _agency_id(obj) == user.agency_id)


def _own_registration(user: User, registration: Model) -> bool:
    return user.role == Role.PARTICIPANT and registration.user_id == user.pk


def _registration(user: User, registration: Model) -> bool:
    return _same_agency(user, registration) or _own_registration(user, registration)


def _serves(user: User, batch: Batch) -> bool:
    return user.role == Role.ORGANISER or batches_for(user).filter(pk=batch.pk).exists()


@dataclass(frozen=True)
class Permission:
    roles: frozenset[Role]
    # The object rule, for permissions on one object (None: the role is enough).
    rule: Callable[[User, Any], bool] | None = None


PERMISSIONS: dict[str, Permission] = {
    "masterdata.manage": Permission(ORGANISER),
    "agency.view": Permission(AGENCY_SIDE, _same_agency),
    "nominations.view": Permission(AGENCY_SIDE, _same_agency),
    "nominations.nominate": Permission(OPERATOR),
    "nominations.withdraw": Permission(OPERATOR, _same_agency),
    "nominations.decide": Permission(ORGANISER),
    "registration.view": Permission(AGENCY_SIDE | PARTICIPANT, _registration),
    "registration.edit": Permission(PARTICIPANT, _own_registration),
    "review.manage": Permission(ORGANISER),
    "batching.manage": Permission(ORGANISER),
    "batching.preferences": Permission(OPERATOR),
    "batch.view": Permission(ORGANISER | BATCH_STAFF, _serves),
    "batch.staff": Permission(ORGANISER),
    "rumpun.manage": Permission(ORGANISER),
    "dormitory.manage": Permission(ORGANISER),
    "announcement.manage": Permission(ORGANISER),
    "classroom.documents": Permission(ORGANISER | {Role.FACILITATOR}, _serves),
    "classroom.name_plates": Permission(ORGANISER),
    "letters.manage": Permission(ORGANISER),
    "letters.mine": Permission(OPERATOR),
    "letter.view": Permission(AGENCY_SIDE, _same_agency),
}


def register_permissions(permissions: dict[str, Permission]) -> None:
    """A later stage adds its named permissions (with object rules over its own models)
    from its ``AppConfig.ready()``; a name is owned by one app and never redefined."""
    for name, permission in permissions.items():
        if name in PERMISSIONS and PERMISSIONS[name] != permission:
            raise ValueError(f"permission {name!r} is already defined")
        PERMISSIONS[name] = permission


def can(user: User, name: str, obj: Model | None = None) -> bool:
    """May ``user`` use permission ``name`` (on ``obj``, when given)?"""
    permission = PERMISSIONS[name]
    if not user.is_authenticated or user.role not in permission.roles:
        return False
    if obj is None or permission.rule is None:
        return True
    return permission.rule(user, obj)
