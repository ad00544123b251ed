"""Ten requests book overlapping times at once: exactly one wins, the rest hear why.

Real transactions and real threads (``transaction=True``): a test transaction wrapping the threads
would hide the race. On PostgreSQL the exclusion constraints decide; on SQLite the IMMEDIATE write
transaction serializes the check and the insert. Run with DATABASE_URL set for PostgreSQL.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from scheduling.errors import SlotTaken
from scheduling.models import Appointment
from scheduling.services import appointment_book
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
    pytest.mark.usefixtures("now_before_monday", "_real_write_locking"),
]


@pytest.fixture
def _real_write_locking():
    """Production SQLite is a file, where BEGIN IMMEDIATE makes a second writer wait its turn.
    Django's default in-memory test database uses shared-cache table locks instead, which fail
    at once ("database table is locked") rather than wait, so the race only means something on
    a file: run with SQLITE_TEST_NAME=/path/to/test.sqlite3 (or on PostgreSQL)."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("SQLite race needs a file test database: set SQLITE_TEST_NAME")


def _race(bookings: list[dict]) -> list[str]:
    """Run each booking in its own thread, all released at once; return 'booked' or the refusal."""
    start_line = threading.Barrier(len(bookings))
    outcomes: list[str] = []

    def run(kwargs: dict) -> None:
        try:
            start_line.wait()
            appointment_book(**kwargs)
            outcomes.append("booked")
        except SlotTaken as refused:
            outcomes.append(str(refused))
        except Exception as error:  # noqa: BLE001 - anything else is a failure the test shows
            outcomes.append(f"UNEXPECTED {type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(kwargs,)) for kwargs in bookings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


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
