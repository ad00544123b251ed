import datetime as dt

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from patients.models import Patient
from patients.services import mrn_is_valid
from tests.factories import PatientFactory, adult_born

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "first_name": "Maria", "last_name": "Lopez", "date_of_birth": adult_born(52).isoformat(),
        "sex": "female", "phone": "(312) 555-0199", "email": "maria@example.com",
        "preferred_channel": "sms", "preferred_language": "es",
    }
    data.update(overrides)
    return data


def test_front_desk_registers_a_patient_with_a_valid_mrn(front_desk_client, front_desk_user):
    response = front_desk_client.post(reverse("patients:create"), _form())
    patient = Patient.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("patients:detail", args=[patient.pk])
    assert mrn_is_valid(patient.mrn)
    assert str(patient.phone) == "+13125550199"
    assert patient.created_by == front_desk_user
    event = AuditEvent.objects.get(action="patients.patient.created")
    assert event.patient == patient and event.actor == front_desk_user
    assert event.changes["last_name"] == [None, "Lopez"]


def test_bad_input_shows_field_errors_and_saves_nothing(front_desk_client):
    response = front_desk_client.post(
        reverse("patients:create"),
        _form(first_name="", phone="12", email="not-an-email", date_of_birth="2999-01-01"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"first_name", "phone", "email", "date_of_birth"}
    assert "cannot be in the future" in errors["date_of_birth"][0]
    assert Patient.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_same_name_and_birth_date_needs_confirmation(front_desk_client):
    existing = PatientFactory(first_name="Maria", last_name="Lopez", date_of_birth=adult_born(52))
    response = front_desk_client.post(reverse("patients:create"), _form(phone="+13125550100"))
    assert response.status_code == 200
    assert response.context["form"].duplicates == [existing]
    assert b"Possible duplicate" in response.content
    assert Patient.objects.count() == 1

    confirmed = front_desk_client.post(
        reverse("patients:create"), _form(phone="+13125550100", confirm_duplicate="on")
    )
    assert confirmed.status_code == 302
    assert Patient.objects.count() == 2


def test_same_phone_is_a_possible_duplicate(front_desk_client):
    PatientFactory(first_name="Ann", last_name="Other", phone="+13125550199")
    response = front_desk_client.post(reverse("patients:create"), _form())
    assert response.context["form"].duplicates
    assert Patient.objects.count() == 1


def test_editing_records_before_and_after(front_desk_client, front_desk_user):
    patient = PatientFactory(last_name="Smith")
    data = _form(first_name=patient.first_name, last_name="Smith-Jones",
                 date_of_birth=patient.date_of_birth.isoformat(), phone=str(patient.phone))
    response = front_desk_client.post(reverse("patients:update", args=[patient.pk]), data)
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.last_name == "Smith-Jones"
    event = AuditEvent.objects.get(action="patients.patient.updated")
    assert event.changes["last_name"] == ["Smith", "Smith-Jones"]
    assert event.actor == front_desk_user


def test_weight_without_a_date_is_dated_today(front_desk_client):
    front_desk_client.post(reverse("patients:create"), _form(weight_kg="24.5"))
    patient = Patient.objects.get()
    assert patient.weight_kg == pytest.approx(24.5)
    assert patient.weight_measured_on == dt.date.today()


def test_archiving_hides_from_the_list_but_keeps_the_record(front_desk_client):
    patient = PatientFactory(last_name="Archer")
    front_desk_client.post(reverse("patients:archive", args=[patient.pk]))
    patient.refresh_from_db()
    assert patient.is_archived
    listing = front_desk_client.get(reverse("patients:list"), {"q": "Archer"})
    assert list(listing.context["patients"]) == []
    with_archived = front_desk_client.get(reverse("patients:list"), {"q": "Archer", "archived": "on"})
    assert list(with_archived.context["patients"]) == [patient]
    assert AuditEvent.objects.filter(action="patients.patient.archived", patient=patient).exists()
