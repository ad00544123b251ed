from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from .models import User
from .roles import ROLE_PERMISSIONS, Role


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
    last_name: str = "", display_name: str = "",
) -> User:
    """Create a staff member with one role. Managers also get the admin site (is_staff)."""
    user = User(
        username=username, email=email, first_name=first_name, last_name=last_name,
        display_name=display_name, is_staff=role is Role.MANAGER,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.add(Group.objects.get(name=role.value))
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
