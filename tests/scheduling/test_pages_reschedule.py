"""Rescheduling from the day view: the slot finder starts on the appointment's clinician and type;
a move is checked like a booking."""

import pytest
from django.urls import reverse

from scheduling.models import Appointment, AppointmentStatus
from tests.factories import AppointmentFactory

from .conftest import MONDAY, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now_before_monday")]


@pytest.fixture
def appointment(clinician, room, patient, follow_up):
    return AppointmentFactory(clinician=clinician, room=room, patient=patient, appointment_type=follow_up,
                              start_at=local(MONDAY, "10:00"), status=AppointmentStatus.CONFIRMED)


def _url(appointment):
    return reverse("scheduling:reschedule", args=[appointment.pk])


def test_the_slot_finder_is_preselected_and_a_click_moves_it(front_desk_client, appointment, clinician, room):
    response = front_desk_client.get(_url(appointment), {"start_date": "2026-06-16"})
    assert response.context["search"]["clinician"].value() == str(clinician.pk)
    assert "Tue, Jun 16, 9:00 AM" in response.content.decode()
    response = front_desk_client.post(_url(appointment), {"clinician": clinician.pk, "room": room.pk,
                                                          "date": "2026-06-16", "time": "09:00"})
    assert response.status_code == 302 and response.url.endswith("?date=2026-06-16")
    moved = Appointment.objects.get(pk=appointment.pk)
    assert moved.start_at == local(MONDAY.replace(day=16), "09:00")
    assert moved.status == AppointmentStatus.BOOKED  # the new time is not confirmed yet


def test_a_move_onto_another_booking_is_refused_naming_it(front_desk_client, appointment, clinician, room, room2):
    AppointmentFactory(clinician=clinician, room=room2, start_at=local(MONDAY, "14:00"))
    response = front_desk_client.post(_url(appointment), {"clinician": clinician.pk, "room": room.pk,
                                                          "date": "2026-06-15", "time": "14:15"})
    assert "Dr. Rivera already has an appointment 2:00 PM–2:30 PM." in response.content.decode()
    assert Appointment.objects.get(pk=appointment.pk).start_at == local(MONDAY, "10:00")


def test_a_checked_in_appointment_is_not_offered_for_moving(front_desk_client, appointment):
    Appointment.objects.filter(pk=appointment.pk).update(status=AppointmentStatus.CHECKED_IN)
    response = front_desk_client.get(_url(appointment))
    assert response.context["slots"] == [] and "only booked or confirmed appointments" in response.content.decode()


def test_a_clinician_cannot_reschedule(clinician_client, appointment):
    assert clinician_client.get(_url(appointment)).status_code == 403
