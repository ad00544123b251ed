"""Staff accounts: roles, creation and every later change, each audited (``accounts.user.*``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from audit.services import audit_record, changes_between, field_values

from .models import User
from .roles import ROLE_PERMISSIONS, Role, is_manager

# What an administrator may change on an account, and what its audit entry shows. The password
# hash is compared but never written to the trail (only that it changed).
STAFF_ACCOUNT_FIELDS = ("username", "first_name", "last_name", "display_name", "email", "is_active", "is_staff",
                        "is_superuser")


def roles_sync(*, group_model=Group, permission_model=Permission) -> None:
    """Create the role groups and give each its permissions (idempotent).

    Also called from a migration with historical models, hence the model arguments.
    """
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role.value)
        if role is Role.MANAGER:
            group.permissions.set(permission_model.objects.all())
            continue
        query = Q(pk__in=[])
        for perm in perms:
            app_label, codename = perm.split(".")
            query |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(permission_model.objects.filter(query))


@transaction.atomic
def staff_user_create(
    *, username: str, password: str, role: Role, email: str = "", first_name: str = "",
    last_name: str = "", display_name: str = "", actor: Any = None,
) -> User:
    """Create a staff member with one role. Managers also get the admin site (is_staff).
    ``actor`` is who created it (``None``: the create_staff command, recorded as system)."""
    user = User(
        username=username, email=email, first_name=first_name, last_name=last_name,
        display_name=display_name, is_staff=role is Role.MANAGER,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.add(Group.objects.get(name=role.value))
    audit_record(actor=actor, action="accounts.user.created", target=user,
                 changes={**changes_between({}, field_values(user, STAFF_ACCOUNT_FIELDS)), "role": [None, role.value]})
    return user


def role_of(user: User) -> Role | None:
    """The role group a staff member holds (accounts hold one; see ``staff_role_set``)."""
    names = set(user.groups.values_list("name", flat=True))
    return next((role for role in Role if role.value in names), None)


def _require_account_admin(actor: Any, user: User) -> None:
    # Only a superuser may touch a superuser's account: otherwise a manager could set its
    # password and become one.
    if not is_manager(actor) or (user.is_superuser and not getattr(actor, "is_superuser", False)):
        raise PermissionDenied("Only managers may change staff accounts, and only superusers a superuser's.")


@transaction.atomic
def staff_role_set(*, actor: Any, user: User, role: Role) -> None:
    """The one way to change a staff member's role (its group, and the admin site for managers),
    audited as ``accounts.user.role_changed``."""
    _require_account_admin(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    before = role_of(user)
    if before is role and user.groups.count() == 1:
        return
    user.groups.set([Group.objects.get(name=role.value)])
    was_staff, user.is_staff = user.is_staff, role is Role.MANAGER
    user.save(update_fields=["is_staff"])
    audit_record(actor=actor, action="accounts.user.role_changed", target=user, changes={
        "role": [before.value if before else None, role.value], **changes_between(
            {"is_staff": was_staff}, {"is_staff": user.is_staff}),
    })


@transaction.atomic
def staff_account_save(*, actor: Any, user: User) -> User:
    """Save an administrator's change to a staff account: details, active or not, superuser
    status (superusers only), a password they set. Audited as ``accounts.user.created`` or
    ``.updated`` with each changed field; the password only as "changed"."""
    stored = User.objects.select_for_update().filter(pk=user.pk).first() if user.pk else None
    before = field_values(stored, STAFF_ACCOUNT_FIELDS) if stored else {}
    if stored is not None:
        _require_account_admin(actor, stored)
    if user.is_superuser != (stored.is_superuser if stored else False) and not getattr(actor, "is_superuser", False):
        raise PermissionDenied("Only a superuser may grant or remove superuser status.")
    user.save()
    changes = changes_between(before, field_values(user, STAFF_ACCOUNT_FIELDS))
    if stored is not None and stored.password != user.password:
        changes["password"] = ["(previous)", "set by an administrator"]
    if stored is None or changes:
        audit_record(actor=actor, action=f"accounts.user.{'created' if stored is None else 'updated'}",
                     target=user, changes=changes)
    return user


def patient_self_service_actor() -> User:
    """The account that patients' own actions (reminder links, SMS replies, questionnaires) are
    recorded under in the appointment and the audit trail. It cannot sign in: inactive, with no
    usable password."""
    user, created = User.objects.get_or_create(
        username=settings.REMINDERS_SELF_SERVICE_USERNAME,
        defaults={"is_active": False, "display_name": "Patient (self-service)"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
