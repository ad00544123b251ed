"""Signing attests that the signer gave the treatment: it needs the clinician role itself, and
superuser status does not stand in for it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from accounts.access import require_signing_clinician
from accounts.models import User
from accounts.roles import Role
from tests.factories import InjectionSessionFactory
from treatments.models import SessionStatus
from treatments.services import session_sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def root() -> User:
    return User.objects.create_superuser("root", "root@clinic.example", "violet-harbour-lantern-42")


def test_a_superuser_without_the_clinician_role_cannot_sign(root):
    draft = InjectionSessionFactory()
    with pytest.raises(PermissionDenied, match="Only clinicians"):
        session_sign(actor=root, session=draft, overrides={})
    draft.refresh_from_db()
    assert (draft.status, draft.signed_by) == (SessionStatus.DRAFT, None)


def test_a_superuser_who_is_also_a_clinician_may_sign(root):
    root.groups.add(Group.objects.get(name=Role.CLINICIAN.value))
    require_signing_clinician(User.objects.get(pk=root.pk))  # does not raise
