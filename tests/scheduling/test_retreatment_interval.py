"""An injection earlier than the plan's minimum re-treatment date needs confirming (the interval
rule from the treatment plan: last signed session + minimum_interval_weeks)."""

import datetime as dt

import pytest

from audit.models import AuditEvent
from scheduling.errors import EarlyRetreatmentNeedsConfirmation
from scheduling.services import appointment_book
from treatments.selectors import plan_earliest_retreatment_date

from .conftest import MONDAY, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now_before_monday")]

# Last injection 10 weeks and 1 day before MONDAY (a Sunday evening in Chicago, already Monday
# in UTC); the plan's minimum interval is 12 weeks.
LAST_SESSION = local(MONDAY - dt.timedelta(weeks=10, days=1), "19:30")
EARLIEST = MONDAY + dt.timedelta(weeks=2) - dt.timedelta(days=1)


@pytest.fixture
def plan(make_plan, patient, sign_session):
    plan = make_plan(patient, minimum_interval_weeks=12)
    sign_session(plan, LAST_SESSION)
    return plan


@pytest.fixture
def book(front_desk_user, clinician, room, patient, injection, plan):
    def book(day, **overrides):
        return appointment_book(actor=front_desk_user, patient=patient, clinician=clinician, room=room,
                                appointment_type=injection, plan=plan, start_at=local(day, "10:00"), **overrides)

    return book


def test_earliest_date_counts_from_the_local_date_of_the_last_signed_session(plan):
    assert plan_earliest_retreatment_date(plan) == EARLIEST


def test_a_plan_without_signed_sessions_has_no_earliest_date(make_plan, patient):
    assert plan_earliest_retreatment_date(make_plan(patient)) is None


def test_an_early_injection_needs_confirmation(book):
    with pytest.raises(EarlyRetreatmentNeedsConfirmation) as refused:
        book(MONDAY)
    assert refused.value.earliest == EARLIEST
    assert "not before Jun 28, 2026" in str(refused.value)


def test_a_confirmed_early_injection_is_booked_and_the_confirmation_audited(book):
    appointment = book(MONDAY, confirm_early=True)
    assert appointment.pk
    event = AuditEvent.objects.get(action="scheduling.appointment.booked")
    assert event.changes["confirmed_before_minimum_interval"] == [None, EARLIEST.isoformat()]


def test_from_the_earliest_date_no_confirmation_is_needed(book):
    # EARLIEST is a Sunday, when the clinic is closed: the Monday after is the first working day.
    assert book(EARLIEST + dt.timedelta(days=1)).pk


def test_the_day_before_the_earliest_date_still_needs_confirmation(book):
    with pytest.raises(EarlyRetreatmentNeedsConfirmation):
        book(EARLIEST - dt.timedelta(days=2))  # the Friday before


def test_a_non_injection_visit_for_the_plan_is_not_held_to_the_interval(
    front_desk_user, clinician, room, patient, follow_up, plan
):
    assert appointment_book(actor=front_desk_user, patient=patient, clinician=clinician, room=room,
                            appointment_type=follow_up, plan=plan, start_at=local(MONDAY, "10:00")).pk
