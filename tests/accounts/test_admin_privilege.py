"""In the admin a manager cannot make anyone a superuser, tick groups or permissions, or touch a
superuser's account; roles change only through the audited role service, and every change to a
staff account (created, role, deactivated, password set) is in the audit trail."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role, roles_of
from accounts.services import staff_account_save, staff_role_set, staff_user_create
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "violet-harbour-lantern-42"


@pytest.fixture
def head() -> User:
    """A manager as create_staff makes one: with the admin site."""
    return staff_user_create(username="head", password=PASSWORD, role=Role.MANAGER)


@pytest.fixture
def head_client(head) -> Client:
    client = Client()
    client.force_login(head)
    return client


@pytest.fixture
def alex() -> User:
    return staff_user_create(username="alex", password=PASSWORD, role=Role.FRONT_DESK, email="alex@clinic.example")


def _form(user: User, **changes) -> dict:
    data = {"username": user.username, "first_name": user.first_name, "last_name": user.last_name,
            "email": user.email, "display_name": user.display_name, "is_active": "on",
            "date_joined_0": user.date_joined.date().isoformat(), "date_joined_1": "10:00:00",
            "role": Role.FRONT_DESK.value}
    return {**data, **changes}


def _entries(user: User, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type="accounts.user", object_id=str(user.pk), action=action))


def test_a_manager_posting_superuser_groups_and_permissions_changes_none_of_them(head_client, alex):
    url = reverse("admin:accounts_user_change", args=[alex.pk])
    posted = _form(alex, is_superuser="on", is_staff="on", groups=[Group.objects.get(name="manager").pk],
                   user_permissions=[Permission.objects.get(codename="sign_injectionsession").pk])
    assert head_client.post(url, posted).status_code == 302
    alex.refresh_from_db()
    assert (alex.is_superuser, alex.is_staff) == (False, False)
    assert roles_of(alex) == {Role.FRONT_DESK} and not alex.user_permissions.exists()
    page = head_client.get(url).content.decode()
    assert 'name="is_superuser"' not in page and 'name="groups"' not in page and 'name="user_permissions"' not in page


def test_a_manager_cannot_change_a_superuser_or_set_their_password(head_client):
    root = User.objects.create_superuser("root", "root@clinic.example", PASSWORD)
    assert head_client.post(reverse("admin:accounts_user_change", args=[root.pk]),
                            _form(root, is_active="")).status_code == 403
    password_url = reverse("admin:auth_user_password_change", args=[root.pk])
    assert head_client.post(password_url, {"password1": "x" * 20, "password2": "x" * 20,
                                           "usable_password": "true"}).status_code == 403
    root.refresh_from_db()
    assert root.is_active and root.check_password(PASSWORD)


def test_the_role_field_changes_the_role_through_the_audited_service(head_client, head, alex):
    url = reverse("admin:accounts_user_change", args=[alex.pk])
    assert head_client.post(url, _form(alex, role=Role.CLINICIAN.value)).status_code == 302
    alex.refresh_from_db()
    assert roles_of(alex) == {Role.CLINICIAN}
    [entry] = _entries(alex, "accounts.user.role_changed")
    assert (entry.actor, entry.changes["role"]) == (head, ["front desk", "clinician"])


def test_deactivating_an_account_is_audited(head_client, head, alex):
    assert head_client.post(reverse("admin:accounts_user_change", args=[alex.pk]),
                            _form(alex, is_active="")).status_code == 302
    [entry] = _entries(alex, "accounts.user.updated")
    assert (entry.actor, entry.changes) == (head, {"is_active": [True, False]})


def test_a_password_set_by_an_administrator_is_audited_without_the_password(head_client, head, alex):
    new_password = "quartz-meadow-violin-77"
    response = head_client.post(reverse("admin:auth_user_password_change", args=[alex.pk]),
                                {"password1": new_password, "password2": new_password, "usable_password": "true"})
    assert response.status_code == 302
    alex.refresh_from_db()
    assert alex.check_password(new_password)
    [entry] = _entries(alex, "accounts.user.updated")
    assert (entry.actor, entry.changes) == (head, {"password": ["(previous)", "set by an administrator"]})


def test_creating_an_account_is_audited(head_client, head):
    response = head_client.post(reverse("admin:accounts_user_add"), {
        "username": "newcomer", "password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"})
    assert response.status_code == 302
    newcomer = User.objects.get(username="newcomer")
    [entry] = _entries(newcomer, "accounts.user.created")
    assert entry.actor == head and entry.changes["username"] == [None, "newcomer"]
    assert "password" not in entry.changes


def test_the_services_refuse_a_manager_granting_superuser_and_a_non_manager_setting_roles(head, alex):
    alex.is_superuser = True
    with pytest.raises(PermissionDenied):
        staff_account_save(actor=head, user=alex)
    alex.refresh_from_db()
    assert not alex.is_superuser
    with pytest.raises(PermissionDenied):
        staff_role_set(actor=alex, user=head, role=Role.FRONT_DESK)
    assert roles_of(User.objects.get(pk=head.pk)) == {Role.MANAGER}
