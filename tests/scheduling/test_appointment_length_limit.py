"""An appointment lasts at most MAX_APPOINTMENT_LENGTH (12 hours): the day and week views rely on
it to bound their read of start_at. Booking refuses longer ones; PostgreSQL refuses the row too;
an appointment from the evening before that runs into the day still shows on that day."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from scheduling.errors import SchedulingError
from scheduling.models import MAX_APPOINTMENT_LENGTH, Appointment
from scheduling.selectors import clinician_week, day_schedule
from scheduling.services import appointment_book
from tests.factories import AppointmentFactory

from .conftest import MONDAY, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now_before_monday")]


def test_booking_longer_than_the_maximum_is_refused_and_nothing_is_saved(
    front_desk_user, clinician, room, patient, follow_up
):
    start = local(MONDAY, "08:00")
    with pytest.raises(SchedulingError, match="at most 12 hours"):
        appointment_book(actor=front_desk_user, patient=patient, clinician=clinician, room=room,
                         appointment_type=follow_up, start_at=start, end_at=start + MAX_APPOINTMENT_LENGTH
                         + dt.timedelta(minutes=1), override_reason="overnight study")
    assert not Appointment.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the CHECK constraint is PostgreSQL's")
def test_postgresql_refuses_a_longer_row_written_around_the_services(clinician, room, patient, follow_up):
    start = local(MONDAY, "08:00")
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentFactory(clinician=clinician, room=room, patient=patient, appointment_type=follow_up,
                           start_at=start, end_at=start + dt.timedelta(hours=13))


def test_an_appointment_from_the_evening_before_shows_on_the_day_it_runs_into(
    front_desk_client, clinician, room, patient, follow_up
):
    # Starts 11 hours before the day opens and ends at 01:00: inside the day view's lower bound.
    late = AppointmentFactory(clinician=clinician, room=room, patient=patient, appointment_type=follow_up,
                              start_at=local(MONDAY - dt.timedelta(days=1), "14:00"),
                              end_at=local(MONDAY, "01:00"))
    columns = day_schedule(day=MONDAY)
    assert [a for column in columns for a in column.appointments] == [late]
    assert late in clinician_week(clinician=clinician, week_start=MONDAY)[MONDAY].appointments
    assert front_desk_client.get(reverse("scheduling:day"), {"date": MONDAY.isoformat()}).status_code == 200
