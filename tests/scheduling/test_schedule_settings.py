"""A manager edits locations, rooms, types, hours and time off in the admin; every save and delete
is audited. Appointments are read-only there: booking goes through the checked services."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from scheduling.models import WorkingHours
from tests.factories import AppointmentFactory, UserFactory, WorkingHoursFactory

from .conftest import MONDAY, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_for_manager():
    client = Client()
    client.force_login(UserFactory(username="boss", role=Role.MANAGER, is_staff=True))
    return client


def test_adding_working_hours_in_the_admin_is_audited(admin_client_for_manager, clinician, location):
    response = admin_client_for_manager.post(reverse("admin:scheduling_workinghours_add"), {
        "clinician": clinician.pk, "location": location.pk, "weekday": 5, "starts_at": "08:00", "ends_at": "12:00",
    })
    assert response.status_code == 302, response.content[:2000]
    block = WorkingHours.objects.get(weekday=5)
    event = AuditEvent.objects.get(action="scheduling.workinghours.created")
    assert event.actor.username == "boss" and event.object_id == str(block.pk)
    assert event.changes["starts_at"] == [None, "08:00:00"]


def test_changing_and_deleting_hours_are_audited(admin_client_for_manager, clinician, location):
    block = WorkingHoursFactory(clinician=clinician, location=location, weekday=6)
    admin_client_for_manager.post(reverse("admin:scheduling_workinghours_change", args=[block.pk]), {
        "clinician": clinician.pk, "location": location.pk, "weekday": 6, "starts_at": "09:00", "ends_at": "13:00",
    })
    assert AuditEvent.objects.get(action="scheduling.workinghours.updated").changes == {
        "ends_at": ["17:00:00", "13:00:00"],
    }
    admin_client_for_manager.post(reverse("admin:scheduling_workinghours_delete", args=[block.pk]), {"post": "yes"})
    assert not WorkingHours.objects.filter(pk=block.pk).exists()
    assert AuditEvent.objects.filter(action="scheduling.workinghours.deleted").exists()


def test_appointments_cannot_be_added_or_edited_in_the_admin(admin_client_for_manager, clinician, room):
    appointment = AppointmentFactory(clinician=clinician, room=room, start_at=local(MONDAY, "10:00"))
    assert admin_client_for_manager.get(reverse("admin:scheduling_appointment_add")).status_code == 403
    change = admin_client_for_manager.post(reverse("admin:scheduling_appointment_change", args=[appointment.pk]),
                                           {"status": "cancelled"})
    assert change.status_code == 403
    appointment.refresh_from_db()
    assert appointment.status == "booked"
