"""Booking outside a clinician's hours or in their time off is refused; a manager may override
with a reason, and the override is stored and audited."""

import datetime as dt

import pytest

from audit.models import AuditEvent
from scheduling.errors import NeedsManagerOverride
from scheduling.models import Appointment, AppointmentStatus, TimeOff
from scheduling.services import appointment_book
from tests.factories import LocationFactory, RoomFactory

from .conftest import MONDAY, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now_before_monday")]


@pytest.fixture
def book(front_desk_user, clinician, room, patient, follow_up):
    def book(**overrides):
        args = dict(actor=front_desk_user, patient=patient, clinician=clinician, room=room,
                    appointment_type=follow_up, start_at=local(MONDAY, "10:00"))
        args.update(overrides)
        return appointment_book(**args)

    return book


@pytest.fixture
def holiday(clinician):
    return TimeOff.objects.create(clinician=clinician, starts_at=local(MONDAY, "00:00"),
                                  ends_at=local(MONDAY + dt.timedelta(days=1), "00:00"), reason="Conference")


@pytest.mark.parametrize("hhmm", ["08:30", "16:45", "17:00"])
def test_outside_working_hours_is_refused(book, hhmm):
    with pytest.raises(NeedsManagerOverride, match=r"Dr\. Rivera does not work at Lakeside Main on Monday"):
        book(start_at=local(MONDAY, hhmm))


def test_the_first_and_last_slots_of_the_day_fit(book, room2):
    first = book(start_at=local(MONDAY, "09:00"))
    last = book(start_at=local(MONDAY, "16:30"), room=room2)

    assert (first.start_at, last.end_at) == (local(MONDAY, "09:00"), local(MONDAY, "17:00"))
    assert first.override_reason == last.override_reason == ""  # inside the hours: no override needed
    assert Appointment.objects.filter(pk__in=[first.pk, last.pk], status=AppointmentStatus.BOOKED).count() == 2


def test_a_weekend_is_refused(book):
    with pytest.raises(NeedsManagerOverride, match="Saturday"):
        book(start_at=local(MONDAY - dt.timedelta(days=2), "10:00"))


def test_hours_at_another_location_do_not_count(book):
    elsewhere = RoomFactory(location=LocationFactory(name="Northside"), name="Room A")
    with pytest.raises(NeedsManagerOverride, match="does not work at Northside"):
        book(room=elsewhere)


def test_time_off_is_refused_with_its_reason(book, holiday):
    with pytest.raises(NeedsManagerOverride, match=r"Dr\. Rivera is off then \(Conference\)"):
        book()


def test_a_front_desk_override_reason_is_not_enough(book, holiday):
    with pytest.raises(NeedsManagerOverride, match="A manager may book it anyway"):
        book(override_reason="Patient insisted")


def test_a_manager_overrides_time_off_with_a_reason_and_it_is_audited(book, holiday, manager_user):
    appointment = book(actor=manager_user, override_reason="Urgent: severe spasm, Dr. Rivera agreed")
    assert appointment.override_reason == "Urgent: severe spasm, Dr. Rivera agreed"
    event = AuditEvent.objects.get(action="scheduling.appointment.booked")
    assert event.actor == manager_user
    assert event.changes["override_reason"] == [None, "Urgent: severe spasm, Dr. Rivera agreed"]


def test_a_manager_still_needs_a_reason(book, manager_user):
    with pytest.raises(NeedsManagerOverride):
        book(actor=manager_user, start_at=local(MONDAY, "18:00"), override_reason="  ")


def test_no_override_is_recorded_when_none_was_needed(book, manager_user):
    assert book(actor=manager_user, override_reason="just in case").override_reason == ""
