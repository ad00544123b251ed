"""Clinic hours are wall-clock times: 09:00–17:00 is 09:00–17:00 on the clinic's clocks (8 real
hours) on the days the clocks change, and the UTC offset flips between the days around them.

US changes: 8 Mar 2026 and 14 Mar 2027 (clocks forward, CST −6 → CDT −5), 1 Nov 2026 (back).
Each test travels to the Friday before, then asks for the weekend and the Monday after.
"""

import datetime as dt

import pytest

from scheduling.services import appointment_book
from scheduling.slots import slots_find
from tests.factories import WorkingHoursFactory

from .conftest import CHICAGO, local

pytestmark = pytest.mark.django_db

UTC = dt.UTC
CHANGES = [
    # (the Sunday of the change, UTC hour of 09:00 on the Saturday before, on the Sunday, on the Monday)
    pytest.param(dt.date(2026, 3, 8), 15, 14, 14, id="spring-2026"),
    pytest.param(dt.date(2026, 11, 1), 14, 15, 15, id="fall-2026"),
    pytest.param(dt.date(2027, 3, 14), 15, 14, 14, id="spring-2027"),
]


@pytest.fixture
def seven_day_clinician(clinician, location, room):
    for weekday in (5, 6):  # the fixture's clinician works weekdays; add the weekend
        WorkingHoursFactory(clinician=clinician, location=location, weekday=weekday)
    return clinician


def _day_slots(day, appointment_type, clinician):
    return slots_find(appointment_type=appointment_type, start_date=day, end_date=day, clinician=clinician, limit=500)


@pytest.mark.parametrize(("sunday", "saturday_utc", "sunday_utc", "monday_utc"), CHANGES)
def test_nine_to_five_keeps_its_wall_clock_and_its_eight_hours(
    sunday, saturday_utc, sunday_utc, monday_utc, seven_day_clinician, follow_up, time_machine
):
    time_machine.move_to(dt.datetime.combine(sunday - dt.timedelta(days=2), dt.time(12), tzinfo=CHICAGO), tick=False)
    for day, utc_hour in ((sunday - dt.timedelta(days=1), saturday_utc), (sunday, sunday_utc),
                          (sunday + dt.timedelta(days=1), monday_utc)):
        slots = _day_slots(day, follow_up, seven_day_clinician)
        first, last = slots[0], slots[-1]
        assert first.start_at == dt.datetime.combine(day, dt.time(utc_hour), tzinfo=UTC), day
        assert first.start_at.astimezone(CHICAGO).time() == dt.time(9, 0)
        assert last.end_at.astimezone(CHICAGO).time() == dt.time(17, 0)
        assert last.end_at - first.start_at == dt.timedelta(hours=8)
        assert len(slots) == 31  # 09:00 … 16:30, every 15 minutes


@pytest.mark.parametrize(("sunday", "saturday_utc", "sunday_utc", "monday_utc"), CHANGES)
def test_booking_the_first_and_last_slot_on_the_change_day_respects_the_hours(
    sunday, saturday_utc, sunday_utc, monday_utc, seven_day_clinician, follow_up, room, room2, patient,
    front_desk_user, time_machine,
):
    time_machine.move_to(dt.datetime.combine(sunday - dt.timedelta(days=2), dt.time(12), tzinfo=CHICAGO), tick=False)
    first = appointment_book(actor=front_desk_user, patient=patient, clinician=seven_day_clinician, room=room,
                             appointment_type=follow_up, start_at=local(sunday, "09:00"))
    last = appointment_book(actor=front_desk_user, patient=patient, clinician=seven_day_clinician, room=room2,
                            appointment_type=follow_up, start_at=local(sunday, "16:30"))
    assert first.start_at == dt.datetime.combine(sunday, dt.time(sunday_utc), tzinfo=UTC)
    assert last.end_at.astimezone(CHICAGO).time() == dt.time(17, 0)


@pytest.mark.parametrize(("sunday", "saturday_utc", "sunday_utc", "monday_utc"), CHANGES)
def test_a_four_week_search_across_the_change_keeps_nine_oclock_local(
    sunday, saturday_utc, sunday_utc, monday_utc, clinician, follow_up, room, time_machine
):
    time_machine.move_to(dt.datetime.combine(sunday - dt.timedelta(days=14), dt.time(12), tzinfo=CHICAGO),
                         tick=False)
    slots = slots_find(appointment_type=follow_up, start_date=sunday - dt.timedelta(days=13),
                       end_date=sunday + dt.timedelta(days=14), clinician=clinician, limit=10_000)
    first_of_each_day = {}
    for slot in slots:
        first_of_each_day.setdefault(slot.start_at.astimezone(CHICAGO).date(), slot.start_at)
    assert len(first_of_each_day) == 20  # four working weeks
    assert {start.astimezone(CHICAGO).time() for start in first_of_each_day.values()} == {dt.time(9)}
    offsets = {start.astimezone(CHICAGO).utcoffset() for start in first_of_each_day.values()}
    assert offsets == {dt.timedelta(hours=-6), dt.timedelta(hours=-5)}
