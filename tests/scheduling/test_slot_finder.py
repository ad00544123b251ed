"""The slot finder: free times within hours, clear of time off and of the clinician's, the
patient's and the rooms' active bookings, not before the plan's earliest re-treatment date,
and in a fixed number of queries whatever the range."""

import datetime as dt

import pytest

from scheduling.models import AppointmentStatus, TimeOff
from scheduling.slots import slots_find
from tests.factories import AppointmentFactory, PatientFactory

from .conftest import MONDAY, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now_before_monday")]


def _starts(slots, day=MONDAY) -> list[str]:
    return [f"{slot.start_at.astimezone(local(day, '00:00').tzinfo):%H:%M}" for slot in slots]


@pytest.fixture
def find(follow_up, clinician, room, room2):
    def find(**kwargs):
        kwargs.setdefault("start_date", MONDAY)
        kwargs.setdefault("end_date", MONDAY)
        kwargs.setdefault("limit", 100)
        return slots_find(appointment_type=follow_up, **kwargs)

    return find


def test_a_free_day_offers_every_quarter_hour_from_opening_to_the_last_that_fits(find, clinician, room):
    slots = find(clinician=clinician)
    starts = _starts(slots)
    assert starts[:3] == ["09:00", "09:15", "09:30"] and starts[-1] == "16:30"
    assert len(starts) == 31
    assert slots[0].clinician == clinician and slots[0].room == room
    assert slots[0].end_at - slots[0].start_at == dt.timedelta(minutes=30)


def test_the_clinicians_bookings_are_avoided_and_back_to_back_is_offered(find, clinician, room):
    AppointmentFactory(clinician=clinician, room=room, start_at=local(MONDAY, "10:00"))
    starts = _starts(find(clinician=clinician))
    assert "09:30" in starts and "10:30" in starts
    assert not {"09:45", "10:00", "10:15"} & set(starts)


def test_cancelled_and_no_show_bookings_free_their_time(find, clinician, room):
    AppointmentFactory(clinician=clinician, room=room, start_at=local(MONDAY, "10:00"),
                       status=AppointmentStatus.NO_SHOW)
    AppointmentFactory(clinician=clinician, room=room, start_at=local(MONDAY, "11:00"),
                       status=AppointmentStatus.CANCELLED, cancelled_by="patient", cancelled_at=local(MONDAY, "08:00"))
    assert {"10:00", "11:00"} <= set(_starts(find(clinician=clinician)))


def test_a_slot_needs_a_free_room_at_the_location(find, clinician, room, room2, make_clinician_at):
    others = [make_clinician_at(room.location, f"Dr. {name}") for name in ("Chen", "Okafor")]
    AppointmentFactory(clinician=others[0], room=room, start_at=local(MONDAY, "11:00"))
    with_one_room_left = [s for s in find(clinician=clinician) if _starts([s]) == ["11:00"]]
    assert [s.room for s in with_one_room_left] == [room2]
    AppointmentFactory(clinician=others[1], room=room2, start_at=local(MONDAY, "11:00"))
    assert "11:00" not in _starts(find(clinician=clinician))


def test_the_patients_other_appointments_are_avoided(find, clinician, patient, make_clinician_at, location):
    AppointmentFactory(patient=patient, clinician=make_clinician_at(location, "Dr. Chen"),
                       start_at=local(MONDAY, "13:00"))
    assert "13:00" in _starts(find(clinician=clinician))
    assert "13:00" not in _starts(find(clinician=clinician, patient=patient))


def test_time_off_is_avoided(find, clinician):
    TimeOff.objects.create(clinician=clinician, starts_at=local(MONDAY, "12:00"), ends_at=local(MONDAY, "14:00"))
    starts = _starts(find(clinician=clinician))
    assert "11:30" in starts and "14:00" in starts
    assert not [s for s in starts if "11:45" <= s < "14:00"]


def test_past_times_are_not_offered(find, clinician, time_machine):
    time_machine.move_to(local(MONDAY, "10:05"), tick=False)
    assert _starts(find(clinician=clinician))[0] == "10:15"


def test_every_clinician_is_offered_when_none_is_chosen(find, clinician, make_clinician_at, location):
    chen = make_clinician_at(location, "Dr. Chen")
    first_two = find(limit=2)
    assert {slot.clinician for slot in first_two} == {clinician, chen}
    # Each slot is an alternative, bookable on its own: both may name the first free room.
    assert all(slot.room.location == location for slot in first_two)
    assert _starts(first_two) == ["09:00", "09:00"]


def test_results_are_the_earliest_first_and_limited(find, clinician):
    slots = find(clinician=clinician, end_date=MONDAY + dt.timedelta(days=6), limit=40)
    assert len(slots) == 40
    assert [s.start_at for s in slots] == sorted(s.start_at for s in slots)
    assert slots[-1].start_at.date() == MONDAY + dt.timedelta(days=1)


def test_an_injection_is_not_offered_before_the_plans_earliest_date(
    injection, clinician, room, patient, make_plan, sign_session
):
    plan = make_plan(patient, minimum_interval_weeks=12)
    sign_session(plan, local(MONDAY - dt.timedelta(weeks=12) + dt.timedelta(days=2), "10:00"))
    slots = slots_find(appointment_type=injection, start_date=MONDAY, clinician=clinician, patient=patient,
                       plan=plan, limit=1)
    assert slots[0].start_at == local(MONDAY + dt.timedelta(days=2), "09:00")


def test_more_than_four_weeks_is_refused(find):
    with pytest.raises(ValueError, match="1 to 28 days"):
        find(end_date=MONDAY + dt.timedelta(days=28))


@pytest.fixture
def busy_month(clinician, room, room2, make_clinician_at, location):
    """Four weeks with many bookings and time off, for three clinicians."""
    clinicians = [clinician, make_clinician_at(location, "Dr. Chen"), make_clinician_at(location, "Dr. Okafor")]
    for day in range(28):
        date = MONDAY + dt.timedelta(days=day)
        for n, who in enumerate(clinicians):
            AppointmentFactory(clinician=who, room=(room, room2)[n % 2], start_at=local(date, f"{9 + n}:00"))
    TimeOff.objects.create(clinician=clinician, starts_at=local(MONDAY, "13:00"),
                           ends_at=local(MONDAY + dt.timedelta(days=10), "13:00"))


@pytest.mark.parametrize("days", [1, 28])
def test_a_fixed_number_of_queries_for_any_range(
    days, busy_month, injection, patient, make_plan, sign_session, django_assert_num_queries
):
    plan = make_plan(patient)
    sign_session(plan, local(MONDAY - dt.timedelta(weeks=20), "10:00"))
    patient = PatientFactory()
    # hours (with clinicians and locations), rooms, time off, bookings, the plan's last session
    with django_assert_num_queries(5):
        slots = slots_find(appointment_type=injection, start_date=MONDAY,
                           end_date=MONDAY + dt.timedelta(days=days - 1), patient=plan.patient, plan=plan,
                           limit=10_000)
    assert slots
