"""The recall list: active plans due within N weeks or overdue, without a future injection booked
for that plan's patient and indication; one row per plan; filters; sorted by due date; one query."""

import datetime as dt

import pytest

from scheduling.models import AppointmentStatus
from scheduling.selectors import plans_due_for_recall
from tests.factories import AppointmentFactory, LocationFactory, PatientFactory, UserFactory, WorkingHoursFactory
from treatments.models import Indication

from .conftest import MONDAY, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now_before_monday")]

TODAY = dt.date(2026, 6, 12)  # the Friday "now" of now_before_monday


@pytest.fixture
def due_plan(make_plan, sign_session):
    """A plan whose last signed session makes it due ``due_in`` days from today."""

    def make(patient=None, *, due_in: int, cycle_weeks: int = 12, **plan_kwargs):
        plan = make_plan(patient or PatientFactory(), cycle_weeks=cycle_weeks, **plan_kwargs)
        last = TODAY + dt.timedelta(days=due_in) - dt.timedelta(weeks=cycle_weeks)
        sign_session(plan, local(last, "10:00"))
        return plan

    return make


def _recall(**filters):
    return list(plans_due_for_recall(within_weeks=4, **filters))


def test_due_and_overdue_plans_are_listed_by_due_date_and_later_ones_are_not(due_plan):
    overdue, soon, later = due_plan(due_in=-10), due_plan(due_in=20), due_plan(due_in=40)
    recall = _recall()
    assert recall == [overdue, soon]
    assert [plan.next_due for plan in recall] == [TODAY - dt.timedelta(days=10), TODAY + dt.timedelta(days=20)]
    assert later not in recall


def test_a_plan_with_no_session_yet_is_due_from_its_start_date(make_plan):
    plan = make_plan(PatientFactory(), start_date=TODAY + dt.timedelta(days=3))
    assert _recall() == [plan]
    assert _recall()[0].next_due == TODAY + dt.timedelta(days=3)


def test_a_patient_with_two_plans_appears_once_per_plan(due_plan, patient):
    migraine = due_plan(patient, due_in=5, indication_code="test_migraine")
    dystonia = due_plan(patient, due_in=1, indication_code="test_dystonia")
    assert _recall() == [dystonia, migraine]


def test_a_future_injection_for_the_plan_takes_it_off_the_list(due_plan, injection, clinician, room):
    booked, waiting = due_plan(due_in=2), due_plan(due_in=3)
    AppointmentFactory(patient=booked.patient, plan=booked, appointment_type=injection, clinician=clinician,
                       room=room, start_at=local(MONDAY, "10:00"))
    assert _recall() == [waiting]


def test_only_an_injection_for_the_same_indication_counts(due_plan, injection, follow_up, make_plan, patient,
                                                          clinician, room):
    migraine = due_plan(patient, due_in=2, indication_code="test_migraine")
    other_plan = make_plan(patient, indication_code="test_dystonia", start_date=TODAY + dt.timedelta(weeks=10))
    AppointmentFactory(patient=patient, plan=other_plan, appointment_type=injection, clinician=clinician, room=room,
                       start_at=local(MONDAY, "10:00"))
    AppointmentFactory(patient=patient, plan=migraine, appointment_type=follow_up, clinician=clinician, room=room,
                       start_at=local(MONDAY, "11:00"))
    assert _recall() == [migraine]


def test_cancelled_and_past_injections_do_not_count(due_plan, injection, clinician, room):
    plan = due_plan(due_in=2)
    AppointmentFactory(patient=plan.patient, plan=plan, appointment_type=injection, clinician=clinician, room=room,
                       start_at=local(MONDAY, "10:00"), status=AppointmentStatus.CANCELLED, cancelled_by="patient",
                       cancelled_at=local(TODAY, "09:00"))
    AppointmentFactory(patient=plan.patient, plan=plan, appointment_type=injection, clinician=clinician, room=room,
                       start_at=local(TODAY - dt.timedelta(days=1), "10:00"))
    assert _recall() == [plan]


def test_paused_plans_and_archived_patients_are_left_out(due_plan):
    due_plan(due_in=1, status="paused")
    archived = due_plan(due_in=1)
    archived.patient.is_archived = True
    archived.patient.save()
    assert _recall() == []


def test_filters_by_indication_clinician_and_location(due_plan, make_plan, clinician, location):
    chen = UserFactory(display_name="Dr. Chen")
    WorkingHoursFactory(clinician=chen, location=LocationFactory(name="Northside"))
    rivera_migraine = due_plan(due_in=1, indication_code="test_migraine")
    chen_dystonia = due_plan(due_in=2, indication_code="test_dystonia", responsible=chen)

    assert _recall(indication=Indication.objects.get(code="test_dystonia")) == [chen_dystonia]
    assert _recall(clinician=clinician) == [rivera_migraine]
    assert _recall(location=location) == [rivera_migraine]


def test_one_query_however_many_plans(due_plan, django_assert_num_queries, injection, clinician, room):
    for n in range(15):
        plan = due_plan(due_in=n)
        if n % 3 == 0:
            AppointmentFactory(patient=plan.patient, plan=plan, appointment_type=injection, clinician=clinician,
                               room=room, start_at=local(MONDAY, f"{9 + n // 3}:00"))
    with django_assert_num_queries(1):
        recall = _recall(location=room.location)
        names = [(plan.patient.last_name, plan.indication.name, str(plan.responsible_clinician)) for plan in recall]
    assert len(names) == 10
