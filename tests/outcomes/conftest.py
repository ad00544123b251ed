"""Scenes for the outcomes tests: a migraine plan of the clinician's, and a way to record scores."""

from __future__ import annotations

import datetime as dt

import pytest

from outcomes.models import ResponseRule
from outcomes.services import assessment_record
from tests.factories import TreatmentPlanFactory


@pytest.fixture
def plan(clinician_user):
    return TreatmentPlanFactory(responsible_clinician=clinician_user, start_date=dt.date(2025, 1, 1))


def phq9(item9: int = 0, rest: int = 1) -> dict[str, int]:
    return {**{f"item{n}": rest for n in range(1, 9)}, "item9": item9}


def record(actor, plan, instrument: str, items: dict, taken_on: dt.date, **extra):
    return assessment_record(actor=actor, patient=plan.patient, plan=plan, instrument=instrument, items=items,
                             taken_on=taken_on, **extra)


@pytest.fixture
def nice_rule_on(db) -> None:
    """The clinic has turned on the advisory NICE TA260 rule (a fresh install starts with it off)."""
    ResponseRule.objects.filter(code="nice_ta260_headache_days").update(is_active=True)
