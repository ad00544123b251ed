"""Opening a patient's record is itself recorded (HIPAA access accounting)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["front_desk", "clinician", "manager"])
def test_viewing_a_patient_detail_page_is_recorded(request, persona):
    client, user = request.getfixturevalue(f"{persona}_client"), request.getfixturevalue(f"{persona}_user")
    patient = PatientFactory()
    assert client.get(reverse("patients:detail", args=[patient.pk])).status_code == 200
    event = AuditEvent.objects.get(action="patients.patient.viewed")
    assert (event.actor, event.patient, event.object_id) == (user, patient, str(patient.pk))


def test_a_refused_view_records_nothing(no_role_client):
    patient = PatientFactory()
    assert no_role_client.get(reverse("patients:detail", args=[patient.pk])).status_code == 403
    assert not AuditEvent.objects.exists()


def test_the_patient_list_records_whom_it_showed_not_a_view_of_each_record(front_desk_client):
    shown = PatientFactory.create_batch(3)
    front_desk_client.get(reverse("patients:list"))
    event = AuditEvent.objects.get()
    assert event.action == "patients.patient.listed"
    assert event.changes["patients"] == [None, sorted(p.pk for p in shown)]
