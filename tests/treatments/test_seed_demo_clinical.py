"""The demo's treatment histories sign through the same safety checks as any session, so the
demo picks as adults only patients who were adults on the day of every session it writes: a
patient who turned 18 last month was a child for most of a 16-month history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.roles import Role
from tests.factories import PatientFactory, UserFactory
from treatments.models import TreatmentPlan

pytestmark = pytest.mark.django_db


def test_a_patient_who_just_turned_18_is_not_given_an_adult_history(settings):
    settings.DEBUG = True
    staff = (("frontdesk", Role.FRONT_DESK), ("clinician", Role.CLINICIAN), ("clinician2", Role.CLINICIAN),
             ("manager", Role.MANAGER))
    for username, role in staff:
        UserFactory(username=username, role=role)
    today = timezone.localdate()
    just_18 = PatientFactory(date_of_birth=today.replace(year=today.year - 18) - dt.timedelta(days=30))
    PatientFactory.create_batch(8, date_of_birth=today.replace(year=today.year - 40))

    call_command("seed_demo_clinical", seed=1)

    assert TreatmentPlan.objects.exists()
    assert not just_18.treatment_plans.exists()
