"""A date centuries away (or before 1900) on the schedule pages is a field error or today's page,
never an overflow: booking and rescheduling refuse it on the form, the day, week and slot-finder
pages fall back to today."""

import pytest
from django.urls import reverse

from scheduling.models import Appointment
from tests.factories import AppointmentFactory

from .conftest import MONDAY, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now_before_monday")]

FAR_DATES = ["9999-12-31", "0001-01-01", "1899-12-31", "2999-06-15"]


@pytest.mark.parametrize("day", FAR_DATES)
def test_booking_a_far_date_is_a_field_error_and_books_nothing(front_desk_client, patient, clinician, room,
                                                              follow_up, day):
    response = front_desk_client.post(reverse("scheduling:book"), {
        "patient": patient.pk, "appointment_type": follow_up.pk, "clinician": clinician.pk, "room": room.pk,
        "date": day, "time": "23:59"})
    assert response.status_code == 200 and response.context["form"].errors["date"]
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("day", FAR_DATES)
def test_rescheduling_to_a_far_date_is_a_field_error(front_desk_client, patient, clinician, room, follow_up, day):
    appointment = AppointmentFactory(clinician=clinician, room=room, patient=patient, appointment_type=follow_up,
                                     start_at=local(MONDAY, "10:00"))
    response = front_desk_client.post(reverse("scheduling:reschedule", args=[appointment.pk]), {
        "clinician": clinician.pk, "room": room.pk, "date": day, "time": "23:59"})
    assert response.status_code == 200 and response.context["form"].errors["date"]
    assert Appointment.objects.get(pk=appointment.pk).start_at == local(MONDAY, "10:00")


@pytest.mark.parametrize("page", ["scheduling:day", "scheduling:week"])
@pytest.mark.parametrize("day", FAR_DATES)
def test_the_day_and_week_pages_show_this_week_for_a_far_date(front_desk_client, page, day):
    assert front_desk_client.get(reverse(page), {"date": day}).status_code == 200


@pytest.mark.parametrize("day", FAR_DATES)
def test_the_slot_finder_refuses_a_far_start_date(front_desk_client, patient, follow_up, day):
    response = front_desk_client.get(reverse("scheduling:book"), {"patient": patient.pk,
                                                                  "appointment_type": follow_up.pk, "start_date": day})
    assert response.status_code == 200 and response.context["search"].errors["start_date"]
