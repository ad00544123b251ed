"""One clinician's week: seven days of hours, time off and appointments, in a flat query count."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scheduling.models import TimeOff
from tests.factories import AppointmentFactory, PatientFactory, RoomFactory

from .conftest import MONDAY, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now_before_monday")]

WEEK = reverse("scheduling:week")


def test_the_week_runs_monday_to_sunday_with_appointments_on_their_local_day(
    front_desk_client, clinician, room, make_clinician_at, location
):
    other = make_clinician_at(location, "Dr. Chen")
    wednesday = MONDAY + dt.timedelta(days=2)
    AppointmentFactory(clinician=clinician, room=room, start_at=local(wednesday, "16:30"),
                       patient=PatientFactory(first_name="Ana", last_name="Diaz"))
    AppointmentFactory(clinician=other, room=room, start_at=local(wednesday, "09:00"),
                       patient=PatientFactory(last_name="Elsewhere"))
    TimeOff.objects.create(clinician=clinician, starts_at=local(MONDAY + dt.timedelta(days=4), "00:00"),
                           ends_at=local(MONDAY + dt.timedelta(days=5), "00:00"), reason="Conference")
    response = front_desk_client.get(WEEK, {"clinician": clinician.pk, "date": wednesday.isoformat()})
    page = response.content.decode()
    assert response.context["week_start"] == MONDAY
    days = {day: [entry.appointment for entry in entries if entry.appointment]
            for day, _, entries in response.context["days"]}
    assert [a.patient.last_name for a in days[wednesday]] == ["Diaz"]
    assert "Elsewhere" not in page and "Off: Conference" in page and "Not working" in page  # the weekend


def test_a_clinician_sees_their_own_week_by_default(clinician, room):
    from django.test import Client

    client = Client()
    client.force_login(clinician)
    assert client.get(WEEK).context["clinician"] == clinician


def test_the_query_count_does_not_grow_with_the_appointments(front_desk_client, clinician, location):
    rooms = [RoomFactory(location=location) for _ in range(5)]

    def fill(numbers):
        for n in numbers:
            start = local(MONDAY + dt.timedelta(days=n % 5), "08:00") + dt.timedelta(minutes=10 * (n // 5))
            AppointmentFactory(clinician=clinician, room=rooms[n % 5], start_at=start,
                               end_at=start + dt.timedelta(minutes=10))

    fill(range(5))
    front_desk_client.get(WEEK)  # warm the session: its first save (then at most once a minute)
    with CaptureQueriesContext(connection) as few:
        front_desk_client.get(WEEK, {"clinician": clinician.pk, "date": MONDAY.isoformat()})
    fill(range(5, 100))
    with CaptureQueriesContext(connection) as many:
        page = front_desk_client.get(WEEK, {"clinician": clinician.pk, "date": MONDAY.isoformat()}).content.decode()
    assert page.count('data-testid="appointment"') == 100
    assert len(many) == len(few) <= 9, [q["sql"] for q in many.captured_queries]
