"""Who may write clinical records. Views check roles too; the services check again so that no
other front door (admin, a task, a shell) can skip it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from accounts.roles import Role, has_role, roles_of


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
    if not has_role(actor, []):
        raise PermissionDenied("Only managers may do this.")
