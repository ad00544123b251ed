"""Which actions an appointment offers, and to whom (scheduling.selectors.appointment_actions): the
front desk and managers confirm a booked appointment, check in, mark a no-show once it has
started, reschedule and cancel, on booked and confirmed appointments only; clinicians, staff
without a role and anonymous visitors are offered nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from scheduling.models import AppointmentStatus
from scheduling.selectors import AppointmentAction, appointment_actions
from tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 15, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(hours=2)
EARLIER = NOW - dt.timedelta(minutes=5)
A = AppointmentAction


def _actions(user, status: str, start_at: dt.datetime = LATER) -> tuple[AppointmentAction, ...]:
    appointment = AppointmentFactory.build(status=status, start_at=start_at)
    return appointment_actions(appointment=appointment, user=user, now=NOW)


@pytest.mark.parametrize("changer", ["front_desk_user", "manager_user"])
@pytest.mark.parametrize(("status", "start_at", "expected"), [
    (AppointmentStatus.BOOKED, LATER, (A.CONFIRM, A.CHECK_IN, A.RESCHEDULE, A.CANCEL)),
    (AppointmentStatus.CONFIRMED, LATER, (A.CHECK_IN, A.RESCHEDULE, A.CANCEL)),
    (AppointmentStatus.BOOKED, EARLIER, (A.CONFIRM, A.CHECK_IN, A.NO_SHOW, A.RESCHEDULE, A.CANCEL)),
    (AppointmentStatus.CONFIRMED, NOW, (A.CHECK_IN, A.NO_SHOW, A.RESCHEDULE, A.CANCEL)),
])
def test_the_front_desk_and_managers_act_on_booked_and_confirmed_appointments(
    request, changer, status, start_at, expected
):
    assert _actions(request.getfixturevalue(changer), status, start_at) == expected


@pytest.mark.parametrize("status", [
    AppointmentStatus.CHECKED_IN, AppointmentStatus.COMPLETED, AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW,
])
def test_an_appointment_past_booked_and_confirmed_offers_nothing(front_desk_user, manager_user, status):
    assert _actions(front_desk_user, status, EARLIER) == ()
    assert _actions(manager_user, status, EARLIER) == ()


@pytest.mark.parametrize("who", ["clinician_user", "no_role_user"])
def test_clinicians_and_staff_without_a_role_are_offered_nothing(request, who):
    assert _actions(request.getfixturevalue(who), AppointmentStatus.BOOKED, EARLIER) == ()


def test_an_anonymous_visitor_is_offered_nothing():
    assert _actions(AnonymousUser(), AppointmentStatus.BOOKED, EARLIER) == ()
