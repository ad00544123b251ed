"""The scene for scheduling tests: one location with two rooms, Dr. Rivera working weekdays
09:00–17:00 there, a patient, and helpers for clinic-local times and treatment plans.

Dates are in 2026-2027 and tests that depend on "now" travel with time-machine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest

from accounts.roles import Role
from tests.factories import (
    AppointmentTypeFactory,
    LocationFactory,
    PatientFactory,
    RoomFactory,
    UserFactory,
    WorkingHoursFactory,
)
from treatments.services import plan_next_due_refresh

CHICAGO = ZoneInfo("America/Chicago")
# A Monday well clear of DST changes; "now" in most tests is the Friday before it.
MONDAY = dt.date(2026, 6, 15)
BEFORE_MONDAY = dt.datetime(2026, 6, 12, 12, 0, tzinfo=CHICAGO)


def local(day: dt.date, hhmm: str) -> dt.datetime:
    """An aware datetime at ``hhmm`` on the clinic's clocks on ``day``."""
    hour, minute = map(int, hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=CHICAGO)


@pytest.fixture
def now_before_monday(time_machine):
    time_machine.move_to(BEFORE_MONDAY, tick=False)


@pytest.fixture
def location(db):
    return LocationFactory(name="Lakeside Main")


@pytest.fixture
def room(location):
    return RoomFactory(location=location, name="Room 1")


@pytest.fixture
def room2(location):
    return RoomFactory(location=location, name="Room 2")


@pytest.fixture
def clinician(db, location):
    user = UserFactory(username="rivera", display_name="Dr. Rivera", role=Role.CLINICIAN)
    for weekday in range(5):
        WorkingHoursFactory(clinician=user, location=location, weekday=weekday)
    return user


@pytest.fixture
def patient(db):
    return PatientFactory(first_name="Maria", last_name="Lopez")


@pytest.fixture
def follow_up(db):
    return AppointmentTypeFactory(name="Follow-up", default_duration_minutes=30)


@pytest.fixture
def injection(db):
    return AppointmentTypeFactory(name="Injection session", default_duration_minutes=30, is_injection=True)


@pytest.fixture
def make_plan(db, clinician) -> Callable:
    """A treatment plan (own reference rows, so flushes by transactional tests do not matter)."""
    from treatments.models import DiagnosisCode, Indication, Product, TreatmentPlan

    def make(
        patient, *, indication_code: str = "test_migraine", cycle_weeks: int = 12, minimum_interval_weeks: int = 10,
        start_date: dt.date = dt.date(2026, 1, 5), responsible=None, **extra,
    ) -> TreatmentPlan:
        indication, _ = Indication.objects.get_or_create(
            code=indication_code,
            defaults={"name": indication_code.replace("_", " ").title(), "default_cycle_weeks": 12,
                      "minimum_interval_weeks": 12},
        )
        diagnosis, _ = DiagnosisCode.objects.get_or_create(
            indication=indication, code="T00", defaults={"description": "Test code"}
        )
        product, _ = Product.objects.get_or_create(
            code="test_toxin", defaults={"brand_name": "Testox", "generic_name": "test toxin", "use_within_hours": 24}
        )
        plan = TreatmentPlan.objects.create(
            patient=patient, indication=indication, diagnosis_code=diagnosis, product=product,
            responsible_clinician=responsible or clinician, cycle_weeks=cycle_weeks,
            minimum_interval_weeks=minimum_interval_weeks, start_date=start_date, **extra,
        )
        plan_next_due_refresh(plan=plan)  # as plan_create does
        return plan

    return make


@pytest.fixture
def sign_session(clinician) -> Callable:
    """Record a signed injection session for a plan at ``performed_at``."""
    from treatments.models import InjectionSession, SessionStatus

    def sign(plan, performed_at: dt.datetime) -> InjectionSession:
        session = InjectionSession.objects.create(
            plan=plan, patient=plan.patient, performed_at=performed_at, clinician=clinician, product=plan.product,
            status=SessionStatus.SIGNED, signed_at=performed_at, signed_by=clinician, created_by=clinician,
        )
        plan_next_due_refresh(plan=plan)  # as session_sign does
        return session

    return sign


@pytest.fixture
def make_clinician_at(db) -> Callable:
    """Another clinician working weekdays 09:00–17:00 at ``location``."""

    def make(location, display_name: str):
        user = UserFactory(display_name=display_name, role=Role.CLINICIAN)
        for weekday in range(5):
            WorkingHoursFactory(clinician=user, location=location, weekday=weekday)
        return user

    return make
