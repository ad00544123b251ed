"""Staff roles. Each role is a Django group whose permissions a migration sets up.

Views ask for roles with ``RoleRequiredMixin`` / ``role_required``; a manager may do everything.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser


class Role(enum.StrEnum):
    FRONT_DESK = "front desk"
    CLINICIAN = "clinician"
    MANAGER = "manager"


# Which model permissions each role's group carries, as "app_label.codename".
# Kept here, in one place; the migration and `sync_roles` apply it.
ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.FRONT_DESK: (
        "patients.view_patient",
        "patients.add_patient",
        "patients.change_patient",
        "patients.view_contactconsent",
        "patients.add_contactconsent",
        "patients.change_contactconsent",
        # Plans only, to see who is due; never sessions or other clinical records.
        "treatments.view_treatmentplan",
        "scheduling.view_appointment",
        "scheduling.add_appointment",
        "scheduling.change_appointment",
        "scheduling.view_location",
        "scheduling.view_room",
        "scheduling.view_appointmenttype",
        "scheduling.view_workinghours",
        "scheduling.view_timeoff",
    ),
    Role.CLINICIAN: (
        "patients.view_patient",
        "patients.change_patient",
        "patients.view_contactconsent",
        "treatments.view_treatmentplan",
        "treatments.add_treatmentplan",
        "treatments.change_treatmentplan",
        "treatments.view_injectionsession",
        "treatments.add_injectionsession",
        "treatments.change_injectionsession",
        "treatments.sign_injectionsession",
        "treatments.view_sessionaddendum",
        "treatments.add_sessionaddendum",
        "treatments.view_viallot",
        "scheduling.view_appointment",
        "outcomes.view_assessment",
        "outcomes.add_assessment",
        "outcomes.view_assessmentalert",
        "outcomes.change_assessmentalert",
        "outcomes.view_responserule",
    ),
    # Managers get every permission; see roles_sync.
    Role.MANAGER: (),
}


def roles_of(user: object) -> frozenset[Role]:
    """The roles a user holds. Superusers hold every role; anonymous users none.

    Cached on the user object so that a page asks the database once.
    """
    if user is None or isinstance(user, AnonymousUser) or not getattr(user, "is_authenticated", False):
        return frozenset()
    if not user.is_active:
        return frozenset()
    cached = getattr(user, "_clinic_roles", None)
    if cached is None:
        if user.is_superuser:
            cached = frozenset(Role)
        else:
            names = set(user.groups.values_list("name", flat=True))
            cached = frozenset(role for role in Role if role.value in names)
        user._clinic_roles = cached
    return cached


def has_role(user: object, roles: Iterable[Role]) -> bool:
    """True when the user holds one of ``roles``, or is a manager (who may do everything)."""
    held = roles_of(user)
    return Role.MANAGER in held or bool(held & set(roles))


def is_manager(user: object) -> bool:
    """True for a manager (or a superuser): who may do everything."""
    return Role.MANAGER in roles_of(user)
