"""The day view: every clinician side by side, local times, statuses; the same number of queries
with 10 or 100 appointments."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scheduling.models import AppointmentStatus, TimeOff
from tests.factories import AppointmentFactory, PatientFactory, RoomFactory

from .conftest import MONDAY, local

pytestmark = pytest.mark.django_db


def _day_url(day=MONDAY, **params):
    query = "&".join(f"{key}={value}" for key, value in {"date": day.isoformat(), **params}.items())
    return f"{reverse('scheduling:day')}?{query}"


def test_clinicians_appear_side_by_side_with_local_times_and_statuses(
    front_desk_client, clinician, room, make_clinician_at, location
):
    chen = make_clinician_at(location, "Dr. Chen")
    AppointmentFactory(clinician=clinician, room=room, start_at=local(MONDAY, "09:30"),
                       patient=PatientFactory(first_name="Ana", last_name="Diaz"), status=AppointmentStatus.CONFIRMED)
    TimeOff.objects.create(clinician=chen, starts_at=local(MONDAY, "13:00"), ends_at=local(MONDAY, "17:00"),
                           reason="Teaching")
    response = front_desk_client.get(_day_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Dr. Chen") < page.index("Dr. Rivera")
    assert "9:30 AM–10:00 AM" in page and "Ana Diaz" in page and "Confirmed" in page
    assert "Off 1:00 PM–5:00 PM: Teaching" in page


def test_a_location_filter_shows_only_that_location(front_desk_client, clinician, room, make_clinician_at):
    elsewhere = RoomFactory(name="North 1")
    AppointmentFactory(room=elsewhere, start_at=local(MONDAY, "11:00"), patient=PatientFactory(last_name="Far"))
    AppointmentFactory(clinician=clinician, room=room, start_at=local(MONDAY, "10:00"),
                       patient=PatientFactory(last_name="Near"))
    page = front_desk_client.get(_day_url(location=room.location_id)).content.decode()
    assert "Near" in page and "Far" not in page


def test_a_user_without_a_schedule_role_is_refused(no_role_client):
    assert no_role_client.get(_day_url()).status_code == 403


def _fill(numbers: range, clinicians, rooms) -> None:
    """Appointments number ``numbers``: 5 minutes each, round-robin over the clinicians."""
    for n in numbers:
        start = local(MONDAY, "08:00") + dt.timedelta(minutes=5 * (n // len(clinicians)))
        AppointmentFactory(clinician=clinicians[n % len(clinicians)], room=rooms[n % len(clinicians)],
                           start_at=start, end_at=start + dt.timedelta(minutes=5))


def test_the_query_count_does_not_grow_with_the_number_of_appointments(
    front_desk_client, clinician, location, make_clinician_at
):
    clinicians = [clinician] + [make_clinician_at(location, f"Dr. {n}") for n in range(4)]
    rooms = [RoomFactory(location=location) for _ in clinicians]
    _fill(range(10), clinicians, rooms)
    front_desk_client.get(_day_url())  # warm the session: its first save (then at most once a minute)
    with CaptureQueriesContext(connection) as ten:
        assert front_desk_client.get(_day_url()).status_code == 200
    _fill(range(10, 100), clinicians, rooms)
    with CaptureQueriesContext(connection) as hundred:
        response = front_desk_client.get(_day_url())
    assert response.content.decode().count('data-testid="appointment"') == 100
    assert len(hundred) == len(ten) <= 7, [q["sql"] for q in hundred.captured_queries]
