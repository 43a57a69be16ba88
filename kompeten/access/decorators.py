"""View decorators: who may open a view. They declare the roles on the view
(``allowed_roles``, ``permission``) so the navigation and the tests read the same rule."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from kompeten.access.rules import PERMISSIONS
from kompeten.accounts.models import Role


def _guard(allowed: frozenset[str], permission: str | None) -> Callable:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.user.role not in allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = allowed
        wrapped.permission = permission
        return wrapped

    return decorator


def role_required(*roles: Role) -> Callable:
    """Anonymous users go to the login page; logged-in users of another role get 403."""
    return _guard(frozenset(str(role) for role in roles), None)


def permission_required(name: str) -> Callable:
    """The roles of a named permission (kompeten.access.rules.PERMISSIONS) may open the view;
    its object rule, if any, is the view's to apply to the object it loads (can())."""
    return _guard(frozenset(str(role) for role in PERMISSIONS[name].roles), name)


organiser_required = role_required(Role.ORGANISER)
