"""Signing a session completes the checked-in injection appointment it records."""

import datetime as dt

import pytest
import time_machine

from scheduling.models import AppointmentStatus
from tests.factories import AppointmentFactory, AppointmentTypeFactory
from treatments.services import session_save, session_sign, session_start

from .conftest import at, migraine_sites, session_input, vial

pytestmark = pytest.mark.django_db
TODAY = at(2030, 6, 3, 11)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(TODAY, tick=False):
        yield


def _signed_session(clinician_user, plan, botox, lot):
    session = session_start(actor=clinician_user, plan=plan, performed_at=TODAY)
    session_save(actor=clinician_user, session=session, data=session_input(
        performed_at=TODAY, product=botox, sites=migraine_sites(100), vials=[vial(lot)],
    ))
    session_sign(actor=clinician_user, session=session, overrides={})
    return session


def _appointment(plan, status, start_at=TODAY - dt.timedelta(minutes=30)):
    injection = AppointmentTypeFactory(name="Injection session", is_injection=True)
    return AppointmentFactory(patient=plan.patient, clinician=plan.responsible_clinician, plan=plan,
                              appointment_type=injection, start_at=start_at, status=status)


def test_the_checked_in_appointment_is_completed_and_linked(clinician_user, migraine_plan, botox, botox_lot):
    appointment = _appointment(migraine_plan, AppointmentStatus.CHECKED_IN)
    session = _signed_session(clinician_user, migraine_plan, botox, botox_lot)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.COMPLETED
    assert appointment.session == session


def test_an_appointment_on_another_day_or_not_checked_in_is_left_alone(
    clinician_user, migraine_plan, botox, botox_lot
):
    yesterday = _appointment(migraine_plan, AppointmentStatus.CHECKED_IN, start_at=TODAY - dt.timedelta(days=1))
    booked = _appointment(migraine_plan, AppointmentStatus.BOOKED, start_at=TODAY + dt.timedelta(hours=2))
    _signed_session(clinician_user, migraine_plan, botox, botox_lot)
    yesterday.refresh_from_db()
    booked.refresh_from_db()
    assert yesterday.status == AppointmentStatus.CHECKED_IN and yesterday.session is None
    assert booked.status == AppointmentStatus.BOOKED
