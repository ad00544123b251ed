"""Who may do what on the current pages: front desk keeps the registry, clinicians read and edit
it, managers do everything and read the audit trail. A refusal never shows patient details."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from patients.models import ContactConsent, Patient
from tests.factories import PatientFactory, adult_born

pytestmark = pytest.mark.django_db

PHI_LAST_NAME = "Brightwater"


@pytest.fixture
def patient() -> Patient:
    return PatientFactory(last_name=PHI_LAST_NAME, first_name="Odile")


def _registration(**overrides) -> dict:
    data = {
        "first_name": "Nadia", "last_name": "Kowalczyk", "date_of_birth": adult_born(33).isoformat(),
        "sex": "female", "phone": "+13125550123", "preferred_channel": "email", "preferred_language": "en",
    }
    return {**data, **overrides}


def _edit(patient: Patient, **overrides) -> dict:
    return _registration(
        first_name=patient.first_name, last_name=patient.last_name,
        date_of_birth=patient.date_of_birth.isoformat(), phone=str(patient.phone), **overrides,
    )


def _assert_refused(response) -> None:
    assert response.status_code == 403
    assert PHI_LAST_NAME.encode() not in response.content


def _register(client) -> Patient:
    assert client.get(reverse("patients:create")).status_code == 200
    response = client.post(reverse("patients:create"), _registration())
    assert response.status_code == 302
    return Patient.objects.get(last_name="Kowalczyk")


def _edit_notes(client, patient: Patient, notes: str) -> None:
    assert client.get(reverse("patients:update", args=[patient.pk])).status_code == 200
    response = client.post(reverse("patients:update", args=[patient.pk]), _edit(patient, notes=notes))
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.notes == notes


def _archive(client, patient: Patient) -> None:
    assert client.post(reverse("patients:archive", args=[patient.pk])).status_code == 302
    patient.refresh_from_db()
    assert patient.is_archived


def _record_consent(client, patient: Patient) -> None:
    url = reverse("patients:consent_add", args=[patient.pk])
    assert client.post(url, {"channel": "sms", "method": "verbal"}).status_code == 302
    assert ContactConsent.objects.filter(patient=patient, channel="sms", withdrawn_at=None).exists()


def test_front_desk_registers_edits_archives_and_records_consent(front_desk_client, patient):
    _register(front_desk_client)
    _edit_notes(front_desk_client, patient, "Prefers morning appointments.")
    _record_consent(front_desk_client, patient)
    withdraw = reverse("patients:consent_withdraw", args=[patient.pk, "sms"])
    assert front_desk_client.post(withdraw).status_code == 302
    _archive(front_desk_client, patient)


def test_clinician_views_and_edits_patients(clinician_client, patient):
    assert clinician_client.get(reverse("patients:list")).status_code == 200
    assert clinician_client.get(reverse("patients:detail", args=[patient.pk])).status_code == 200
    _edit_notes(clinician_client, patient, "Migraine diary reviewed.")


def test_clinician_cannot_register_archive_or_record_consent(clinician_client, patient):
    _assert_refused(clinician_client.get(reverse("patients:create")))
    _assert_refused(clinician_client.post(reverse("patients:create"), _registration()))
    _assert_refused(clinician_client.post(reverse("patients:archive", args=[patient.pk])))
    _assert_refused(clinician_client.post(reverse("patients:consent_add", args=[patient.pk]),
                                          {"channel": "sms", "method": "verbal"}))
    _assert_refused(clinician_client.post(reverse("patients:consent_withdraw", args=[patient.pk, "sms"])))
    patient.refresh_from_db()
    assert not patient.is_archived
    assert Patient.objects.count() == 1
    assert not ContactConsent.objects.exists()


def test_manager_does_everything_including_reading_the_audit_trail(manager_client, patient):
    _register(manager_client)
    _edit_notes(manager_client, patient, "Reviewed by manager.")
    _record_consent(manager_client, patient)
    _archive(manager_client, patient)
    response = manager_client.get(reverse("audit:list"))
    assert response.status_code == 200
    assert {"patients.patient.created", "patients.patient.archived"} <= {e.action for e in response.context["events"]}


@pytest.mark.parametrize("persona", ["front_desk_client", "clinician_client"])
def test_front_desk_and_clinicians_cannot_read_the_audit_trail(request, persona, patient):
    client = request.getfixturevalue(persona)
    client.get(reverse("patients:detail", args=[patient.pk]))  # puts the patient in the trail
    assert AuditEvent.objects.filter(patient=patient).exists()
    _assert_refused(client.get(reverse("audit:list")))
    _assert_refused(client.get(reverse("audit:list"), {"patient": patient.mrn}))


def test_anonymous_users_are_sent_to_login_without_patient_details(client, patient):
    for url in (reverse("patients:detail", args=[patient.pk]), reverse("patients:list") + "?q=Brightwater"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
        assert PHI_LAST_NAME.encode() not in response.content
