"""The admin goes through the audited services, and offers no way to add, change or delete the trail."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from accounts.services import staff_user_create
from audit.models import AuditEvent
from patients.models import Patient
from patients.services import PATIENT_FIELDS
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_manager():
    """A manager made the way create_staff makes one: with the admin site (is_staff)."""
    return staff_user_create(username="head", password="violet-harbour-lantern-42", role=Role.MANAGER)


@pytest.fixture
def admin_client_for_manager(admin_manager) -> Client:
    client = Client()
    client.force_login(admin_manager)
    return client


def _admin_form(patient: Patient, **changes) -> dict:
    data = {}
    for name in PATIENT_FIELDS:
        value = getattr(patient, name)
        data[name] = "" if value is None else str(value)
    return {**data, **changes}


def test_an_admin_edit_of_a_patient_is_audited_with_before_and_after(admin_client_for_manager, admin_manager):
    patient = PatientFactory(last_name="Holm", notes="")
    url = reverse("admin:patients_patient_change", args=[patient.pk])
    assert admin_client_for_manager.get(url).status_code == 200
    response = admin_client_for_manager.post(url, _admin_form(patient, last_name="Holm-Berg", notes="Moved."))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    patient.refresh_from_db()
    assert patient.last_name == "Holm-Berg"
    event = AuditEvent.objects.get(action="patients.patient.updated")
    assert (event.actor, event.patient) == (admin_manager, patient)
    assert event.changes == {"last_name": ["Holm", "Holm-Berg"], "notes": ["", "Moved."]}


def test_an_admin_registration_is_audited(admin_client_for_manager, admin_manager):
    data = _admin_form(PatientFactory.build(last_name="Ngata", weight_kg=None))
    response = admin_client_for_manager.post(reverse("admin:patients_patient_add"), data)
    assert response.status_code == 302
    patient = Patient.objects.get(last_name="Ngata")
    event = AuditEvent.objects.get(action="patients.patient.created")
    assert (event.actor, event.patient) == (admin_manager, patient)


def test_the_admin_cannot_add_change_or_delete_audit_entries(admin_client_for_manager):
    patient = PatientFactory()
    admin_client_for_manager.get(reverse("patients:detail", args=[patient.pk]))
    event = AuditEvent.objects.get(action="patients.patient.viewed")
    entries = AuditEvent.objects.count()
    before = (event.action, event.changes, event.entry_hash)

    assert admin_client_for_manager.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    assert admin_client_for_manager.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert admin_client_for_manager.post(reverse("admin:audit_auditevent_add"), {"action": "x"}).status_code == 403
    delete_url = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert admin_client_for_manager.get(delete_url).status_code == 403
    assert admin_client_for_manager.post(delete_url, {"post": "yes"}).status_code == 403
    change_url = reverse("admin:audit_auditevent_change", args=[event.pk])
    assert admin_client_for_manager.post(change_url, {"action": "edited"}).status_code == 403
    bulk = admin_client_for_manager.post(
        reverse("admin:audit_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert bulk.status_code in {200, 302, 403}

    event.refresh_from_db()
    assert (event.action, event.changes, event.entry_hash) == before
    # Nothing removed; browsing the admin's audit pages adds no entry of the trail itself.
    assert AuditEvent.objects.count() == entries


def test_the_audit_changelist_offers_no_add_button_or_delete_action(admin_client_for_manager):
    response = admin_client_for_manager.get(reverse("admin:audit_auditevent_changelist"))
    assert reverse("admin:audit_auditevent_add").encode() not in response.content
    assert b"delete_selected" not in response.content
