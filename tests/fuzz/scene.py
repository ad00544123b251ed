"""The clinic a fuzzed form is posted into: three staff, a location, a lot in stock, and builders
of the fresh rows each post acts on (its own clinician and room, so that no two posts' times clash)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from accounts.roles import Role
from clinic.clock import local_instant
from patients.models import Channel, ConsentMethod, ContactConsent, Patient
from tests.factories import (
    AppointmentFactory,
    AppointmentTypeFactory,
    LocationFactory,
    PatientFactory,
    RoomFactory,
    TreatmentPlanFactory,
    UserFactory,
    VialLotFactory,
    WorkingHoursFactory,
)


@dataclass
class Scene:
    front_desk: object
    clinician: object
    manager: object
    location: object
    follow_up: object
    lot: object

    @classmethod
    def build(cls) -> Scene:
        return cls(
            front_desk=UserFactory(role=Role.FRONT_DESK),
            clinician=UserFactory(role=Role.CLINICIAN, display_name="Dr. Fuzz"),
            manager=UserFactory(role=Role.MANAGER),
            location=LocationFactory(name="Fuzz clinic"),
            follow_up=AppointmentTypeFactory(name="Follow-up", default_duration_minutes=30),
            lot=VialLotFactory(quantity_received=10_000, expiry_date=timezone.localdate() + dt.timedelta(days=700)),
        )


@dataclass
class Practice:
    """A clinician working weekdays 09:00–17:00 at the scene's location, and a room of their own."""

    clinician: object
    room: object


def practice(scene: Scene) -> Practice:
    clinician = UserFactory(role=Role.CLINICIAN)
    for weekday in range(5):
        WorkingHoursFactory(clinician=clinician, location=scene.location, weekday=weekday)
    return Practice(clinician=clinician, room=RoomFactory(location=scene.location))


def next_week(weekday: int) -> dt.date:
    """That weekday (0 = Monday) of next week, in the clinic's calendar."""
    today = timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday() + weekday)


def appointment(scene: Scene, patient: Patient | None = None, **extra):
    """A follow-up next Tuesday at 10:00 with a practice of its own, as booking leaves it."""
    at = practice(scene)
    return AppointmentFactory(
        patient=patient or PatientFactory(), clinician=at.clinician, room=at.room, appointment_type=scene.follow_up,
        start_at=local_instant(next_week(1), dt.time(10)), **extra,
    )


def plan(scene: Scene, patient: Patient | None = None):
    return TreatmentPlanFactory(patient=patient or PatientFactory(), responsible_clinician=scene.clinician)


def sms_patient() -> Patient:
    """A patient who consented to SMS, on a number of their own."""
    patient = PatientFactory()
    ContactConsent.objects.create(patient=patient, channel=Channel.SMS, given_at=timezone.now(),
                                  given_method=ConsentMethod.WRITTEN)
    return patient
