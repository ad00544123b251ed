"""The one access rule for staff views: signed in, and holding one of the view's roles; and the
same rules for services, which check again so that no other front door (admin, a task, a shell)
can skip them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest, HttpResponse

from .roles import Role, has_role, is_manager, roles_of


def _check(request: HttpRequest, roles: Iterable[Role]) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not has_role(request.user, roles):
        raise PermissionDenied("Your role does not allow this page.")
    return None


class RoleRequiredMixin:
    """Class-based views list ``allowed_roles``; managers are always allowed.

    Forgetting ``allowed_roles`` is a configuration error, not an open door.
    """

    allowed_roles: tuple[Role, ...] = ()

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not self.allowed_roles:
            raise ImproperlyConfigured(f"{type(self).__name__} must set allowed_roles.")
        denied = _check(request, self.allowed_roles)
        return denied or super().dispatch(request, *args, **kwargs)


def role_required(*roles: Role) -> Callable:
    """The same rule for function views (small POST actions)."""
    if not roles:
        raise ImproperlyConfigured("role_required needs at least one role.")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            denied = _check(request, roles)
            return denied or view(request, *args, **kwargs)

        wrapped.allowed_roles = roles
        return wrapped

    return decorator


def require_clinician(actor: object) -> None:
    """Clinicians (and managers, who may do everything) write plans, drafts and addenda;
    the front desk never writes clinical records."""
    if not has_role(actor, [Role.CLINICIAN]):
        raise PermissionDenied("Only clinicians may change clinical records.")


def require_signing_clinician(actor: object) -> None:
    """Signing attests that the signer gave the treatment: it needs the clinician role itself,
    held as the clinician group. Neither the manager role nor superuser status implies it (for
    everything else ``roles_of`` gives a superuser every role)."""
    if not roles_of(actor) or not actor.groups.filter(name=Role.CLINICIAN.value).exists():
        raise PermissionDenied("Only clinicians may sign injection sessions.")


def require_manager(actor: object) -> None:
    if not is_manager(actor):
        raise PermissionDenied("Only managers may do this.")
