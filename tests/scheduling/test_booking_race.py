"""Ten requests book overlapping times at once: exactly one wins, the rest hear why.

Real transactions and real threads (``transaction=True``): a test transaction wrapping the threads
would hide the race. On PostgreSQL the exclusion constraints decide; on SQLite the IMMEDIATE write
transaction serializes the check and the insert. Run with DATABASE_URL set for PostgreSQL.
"""

from __future__ import annotations

import pytest

from scheduling.errors import SlotTaken
from scheduling.models import Appointment
from scheduling.services import appointment_book
from tests.concurrency import run_at_once
from tests.factories import (
    AppointmentTypeFactory,
    LocationFactory,
    PatientFactory,
    RoomFactory,
    UserFactory,
    WorkingHoursFactory,
)

from .conftest import MONDAY, local

THREADS = 10
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("now_before_monday"),
]


def _race(bookings: list[dict]) -> list[str]:
    """Book each in its own thread, all at once; 'booked' or the refusal's message for each."""
    outcomes = run_at_once([lambda kwargs=kwargs: appointment_book(**kwargs) for kwargs in bookings])
    return [
        str(o) if isinstance(o, SlotTaken) else f"UNEXPECTED {type(o).__name__}: {o}" if isinstance(o, Exception)
        else "booked"
        for o in outcomes
    ]


@pytest.fixture
def scene():
    location = LocationFactory(name="Race Clinic")
    clinicians = [UserFactory(display_name=f"Dr. {n}") for n in range(THREADS)]
    for clinician in clinicians:
        WorkingHoursFactory(clinician=clinician, location=location, weekday=MONDAY.weekday())
    return {
        "actor": UserFactory(username="desk"),
        "clinicians": clinicians,
        "rooms": [RoomFactory(location=location, name=f"Room {n}") for n in range(THREADS)],
        "patients": [PatientFactory() for _ in range(THREADS)],
        "type": AppointmentTypeFactory(name="Follow-up", default_duration_minutes=30),
    }


def _bookings(scene, *, shared: str) -> list[dict]:
    """Ten bookings that all overlap in time (10:00 + 2n minutes, 30 minutes long) and share only
    ``shared``: the clinician, the room or the patient."""
    return [
        {
            "actor": scene["actor"],
            "clinician": scene["clinicians"][0 if shared == "clinician" else n],
            "room": scene["rooms"][0 if shared == "room" else n],
            "patient": scene["patients"][0 if shared == "patient" else n],
            "appointment_type": scene["type"],
            "start_at": local(MONDAY, f"10:{2 * n:02d}"),
        }
        for n in range(THREADS)
    ]


@pytest.mark.parametrize(
    ("shared", "message"),
    [
        ("clinician", "Dr. 0 already has an appointment 10:"),
        ("room", "Room 0 is taken 10:"),
        ("patient", "The patient already has an appointment 10:"),
    ],
)
def test_ten_concurrent_overlapping_bookings_one_wins(scene, shared, message):
    outcomes = _race(_bookings(scene, shared=shared))
    assert len(outcomes) == THREADS
    assert outcomes.count("booked") == 1, outcomes
    refusals = [outcome for outcome in outcomes if outcome != "booked"]
    assert all(refusal.startswith(message) for refusal in refusals), refusals
    assert Appointment.objects.count() == 1


def test_ten_concurrent_back_to_back_bookings_all_succeed(scene):
    bookings = _bookings(scene, shared="clinician")
    for n, booking in enumerate(bookings):
        booking["start_at"] = local(MONDAY, "09:00") + n * (local(MONDAY, "09:30") - local(MONDAY, "09:00"))
    outcomes = _race(bookings)
    assert outcomes == ["booked"] * THREADS
    assert Appointment.objects.filter(clinician=scene["clinicians"][0]).count() == THREADS
