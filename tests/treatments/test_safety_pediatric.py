"""Pediatric Botox: the lower of 10 U/kg or 340 U per 84 days (payer text, S: configuration,
a warning); a child's session needs a weight (hard)."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import PatientFactory, TreatmentPlanFactory

from .conftest import at, check, codes, site

pytestmark = pytest.mark.django_db
RULE = "botox_pediatric_cumulative_10ukg_340u_84d"


@pytest.fixture
def child_plan(clinician_user):
    child = PatientFactory(date_of_birth=dt.date(2022, 6, 1))
    return TreatmentPlanFactory(patient=child, indication_code="lower_limb_spasticity_pediatric",
                                responsible_clinician=clinician_user)


def calf(total) -> list:
    """``total`` units over 10 sites (≤50 U each, under the spasticity per-site cap)."""
    return [site("Gastrocnemius, medial head", Decimal(total) / 10) for _ in range(10)]


@pytest.mark.parametrize(("weight", "units", "warned"), [
    ("20", "200", False), ("20", "200.02", True),     # 10 U/kg × 20 kg = 200 U is lower than 340 U
    ("40", "340", False), ("40", "340.02", True),     # 10 U/kg × 40 kg = 400 U: 340 U is lower
])
def test_the_lower_of_10_units_per_kg_and_340_units_wins(child_plan, weight, units, warned):
    report = check(child_plan, at(2030, 5, 1), calf(units), weight=Decimal(weight))
    assert (RULE in codes(report)) is warned
    assert not report.blocks_signing
    if warned:
        assert "lower of" in report.warnings[0].message


def test_the_adult_rule_does_not_apply_to_a_child(child_plan):
    report = check(child_plan, at(2030, 5, 1), calf(100), weight=Decimal("30"))
    assert {w.rule.code for w in report.windows} == {RULE}


def test_a_child_without_a_weight_cannot_be_signed(child_plan):
    report = check(child_plan, at(2030, 5, 1), calf(100), weight=None)
    assert "pediatric_weight_missing" in {f.code for f in report.hard}


def test_a_patient_turning_18_is_an_adult_from_the_birthday():
    patient = PatientFactory(date_of_birth=dt.date(2012, 5, 1))
    plan = TreatmentPlanFactory(patient=patient)
    assert "pediatric_weight_missing" in codes(check(plan, at(2030, 4, 30), [site(units=5)]))
    assert "pediatric_weight_missing" not in codes(check(plan, at(2030, 5, 1), [site(units=5)]))
