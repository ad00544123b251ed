"""`manage.py create_staff` makes a staff user with one role, and refuses weak passwords."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.roles import Role, roles_of

pytestmark = pytest.mark.django_db

STRONG = "violet-harbour-lantern-42"


@pytest.mark.parametrize(
    ("option", "role"),
    [("front-desk", Role.FRONT_DESK), ("clinician", Role.CLINICIAN), ("manager", Role.MANAGER)],
)
def test_creates_a_user_with_the_role_group(option, role):
    call_command("create_staff", "alex", role=option, password=STRONG, email="alex@clinic.example")
    user = User.objects.get(username="alex")
    assert roles_of(user) == {role}
    assert user.check_password(STRONG)
    assert user.is_staff is (role is Role.MANAGER)  # only managers reach the admin site


def test_a_weak_password_is_refused_and_nothing_is_created():
    with pytest.raises(CommandError, match="too common|too short"):
        call_command("create_staff", "alex", role="front-desk", password="password")
    assert not User.objects.filter(username="alex").exists()


def test_a_password_like_the_username_is_refused():
    with pytest.raises(CommandError, match="too similar"):
        call_command("create_staff", "marguerite.okafor", role="clinician", password="marguerite.okafor7")
    assert not User.objects.filter(username="marguerite.okafor").exists()


def test_an_unknown_role_is_refused():
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("create_staff", "alex", "--role", "janitor", "--password", STRONG)
    assert not User.objects.filter(username="alex").exists()


def test_an_existing_username_is_refused():
    call_command("create_staff", "alex", role="clinician", password=STRONG)
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_staff", "alex", role="manager", password=STRONG)
    assert roles_of(User.objects.get(username="alex")) == {Role.CLINICIAN}
