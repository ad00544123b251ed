"""Dysport in adults: at most 1500 U on one treatment day across limbs and plans (hard); above the
upper-limb and cervical-dystonia dose ranges, a warning (Dysport label; docs/clinical-rules.md)."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import PatientFactory, TreatmentPlanFactory, seeded, signed_session_make

from .conftest import at, check, codes, site

pytestmark = pytest.mark.django_db
TODAY = at(2030, 5, 1)
PER_DAY = "dysport_adult_1500u_per_day"


def dysport_plan(indication: str, patient=None):
    return TreatmentPlanFactory(patient=patient or PatientFactory(), indication_code=indication,
                                product=seeded("Product", code="dysport"))


@pytest.mark.parametrize(("lower_limb", "blocked"), [("500", False), ("500.01", True)])
def test_upper_and_lower_limb_on_one_day_are_at_most_1500_units(lower_limb, blocked):
    patient = PatientFactory()
    upper = dysport_plan("upper_limb_spasticity_adult", patient)
    signed_session_make(plan=upper, performed_at=TODAY - dt.timedelta(hours=2), units=1000, muscle="Biceps brachii")
    report = check(dysport_plan("lower_limb_spasticity_adult", patient), TODAY, [site("Soleus", lower_limb)])
    assert (PER_DAY in {f.code for f in report.hard}) is blocked
    assert report.cumulative_label.startswith(f"{Decimal(lower_limb) + 1000} U Dysport of 1500 U on one clinic day")


@pytest.mark.parametrize(("units", "blocked"), [("1500", False), ("1500.01", True), ("3000", True)])
def test_one_session_is_at_most_1500_units(units, blocked):
    report = check(dysport_plan("lower_limb_spasticity_adult"), TODAY, [site("Soleus", units)])
    assert (PER_DAY in {f.code for f in report.hard}) is blocked


def test_yesterdays_dysport_is_another_treatment_day():
    patient = PatientFactory()
    signed_session_make(plan=dysport_plan("cervical_dystonia", patient), performed_at=TODAY - dt.timedelta(days=1),
                        units=1000, muscle="Splenius capitis")
    report = check(dysport_plan("lower_limb_spasticity_adult", patient), TODAY, [site("Soleus", 1500)])
    assert PER_DAY not in codes(report)


@pytest.mark.parametrize(("indication", "muscle", "rule"), [
    ("upper_limb_spasticity_adult", "Biceps brachii", "dysport_upper_limb_adult_1000u_per_session"),
    ("cervical_dystonia", "Splenius capitis", "dysport_cervical_dystonia_1000u_per_session"),
])
@pytest.mark.parametrize(("units", "warned"), [("1000", False), ("1000.01", True)])
def test_above_the_labels_1000_unit_range_top_is_a_warning(indication, muscle, rule, units, warned):
    report = check(dysport_plan(indication), TODAY, [site(muscle, units)])
    assert (rule in codes(report)) is warned
    assert not report.blocks_signing
