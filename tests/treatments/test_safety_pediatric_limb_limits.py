"""Pediatric spasticity limits per session, per leg and per treatment day, each the lower of a
per-kg figure and a cap (BOTOX and Dysport labels; docs/clinical-rules.md)."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import PatientFactory, TreatmentPlanFactory, seeded, signed_session_make

from .conftest import at, check, codes, site

pytestmark = pytest.mark.django_db
TODAY = at(2030, 5, 1)


def child_plan(indication: str, product: str, patient=None):
    return TreatmentPlanFactory(patient=patient or PatientFactory(date_of_birth=dt.date(2020, 6, 1)),
                                indication_code=indication, product=seeded("Product", code=product))


def spread(muscle: str, total, *, side: str = "left", per_site: int = 50) -> list:
    """``total`` units in ``muscle`` over sites of at most ``per_site`` (the BOTOX 50 U per-site cap)."""
    sites, left = [], Decimal(str(total))
    while left > 0:
        sites.append(site(muscle, min(left, Decimal(per_site)), side=side))
        left -= min(left, Decimal(per_site))
    return sites


def finding(report, code: str):
    return next((f for f in report.findings if f.code == code), None)


BOTOX_UPPER = "botox_pediatric_upper_limb_6ukg_200u_per_session"


@pytest.mark.parametrize(("weight", "units", "blocked"), [
    ("20", "120", False), ("20", "120.01", True),            # 6 U/kg × 20 kg = 120 U
    ("33.3", "199.8", False), ("33.3", "199.81", True),      # 6 U/kg × 33.3 kg = 199.8 U, still under 200 U
    ("33.4", "200", False), ("33.4", "200.01", True),        # above 33.3 kg the 200 U cap is lower
    ("60", "200", False), ("60", "200.01", True),
])
def test_botox_upper_limb_is_the_lower_of_6_units_per_kg_and_200_units(weight, units, blocked):
    report = check(child_plan("upper_limb_spasticity_pediatric", "botox"), TODAY, spread("Biceps brachii", units),
                   weight=Decimal(weight))
    rule = finding(report, BOTOX_UPPER)
    assert (rule is not None) is blocked
    if blocked:
        assert rule.is_hard and report.blocks_signing and "lower of" in rule.message


@pytest.mark.parametrize(("weight", "units", "warned"), [
    ("20", "160", False), ("20", "160.01", True),            # 8 U/kg × 20 kg = 160 U
    ("50", "300", False), ("50", "300.01", True),            # 8 U/kg × 50 kg = 400 U: the 300 U cap is lower
])
def test_botox_lower_limb_8_units_per_kg_or_300_units_is_a_clinic_setting_not_a_block(weight, units, warned):
    report = check(child_plan("lower_limb_spasticity_pediatric", "botox"), TODAY, spread("Soleus", units),
                   weight=Decimal(weight))
    rule = finding(report, "botox_pediatric_lower_limb_8ukg_300u_per_session")
    assert (rule is not None) is warned
    if warned:
        assert not rule.is_hard and "clinic setting, unverified" in rule.message


@pytest.mark.parametrize("indication", ["upper_limb_spasticity_pediatric", "lower_limb_spasticity_pediatric"])
@pytest.mark.parametrize(("units", "blocked"), [("50", False), ("50.01", True)])
def test_botox_pediatric_spasticity_allows_at_most_50_units_per_site(indication, units, blocked):
    report = check(child_plan(indication, "botox"), TODAY, [site("Soleus", units)], weight=Decimal("40"))
    assert (f"botox_{indication}_50u_per_site" in {f.code for f in report.hard}) is blocked


DYSPORT_UPPER = "dysport_pediatric_upper_limb_16ukg_640u_per_session"


@pytest.mark.parametrize(("weight", "units", "blocked"), [
    ("20", "320", False), ("20", "320.01", True),            # 16 U/kg × 20 kg = 320 U
    ("45", "640", False), ("45", "640.01", True),            # 16 U/kg × 45 kg = 720 U: the 640 U cap is lower
    ("20", "800", True),                                     # 800 U to a 20 kg child
])
def test_dysport_upper_limb_is_the_lower_of_16_units_per_kg_and_640_units(weight, units, blocked):
    report = check(child_plan("upper_limb_spasticity_pediatric", "dysport"), TODAY,
                   [site("Biceps brachii", units)], weight=Decimal(weight))
    assert (DYSPORT_UPPER in {f.code for f in report.hard}) is blocked


PER_LEG = "dysport_pediatric_lower_limb_15ukg_1000u_per_leg"


@pytest.mark.parametrize(("weight", "left", "right", "blocked"), [
    ("20", "300", "300", False), ("20", "300.01", "0", True), ("20", "0", "300.01", True),  # 15 U/kg × 20 kg
    ("70", "1000", "0", False), ("70", "1000.01", "0", True),  # 15 U/kg × 70 kg = 1050 U: the 1000 U cap is lower
])
def test_dysport_each_leg_is_the_lower_of_15_units_per_kg_and_1000_units(weight, left, right, blocked):
    sites = [site("Soleus", units, side=side) for side, units in (("left", left), ("right", right)) if units != "0"]
    report = check(child_plan("lower_limb_spasticity_pediatric", "dysport"), TODAY, sites, weight=Decimal(weight))
    rule = finding(report, PER_LEG)
    assert (rule is not None) is blocked
    if blocked:
        assert rule.is_hard and f"{'left' if right == '0' else 'right'} side" in rule.message


PER_DAY = "dysport_pediatric_30ukg_1000u_per_day"


@pytest.mark.parametrize(("weight", "upper_limb_earlier", "left", "right", "blocked"), [
    ("40", 0, "500", "500", False), ("40", 0, "500", "500.01", True),  # 30 U/kg × 40 kg = 1200 U: 1000 U cap
    ("20", 200, "300", "100", False), ("20", 200, "300", "100.01", True),  # 30 U/kg × 20 kg = 600 U, all limbs
])
def test_dysport_both_legs_and_every_limb_of_one_day_are_the_lower_of_30_units_per_kg_and_1000_units(
    weight, upper_limb_earlier, left, right, blocked,
):
    patient = PatientFactory(date_of_birth=dt.date(2020, 6, 1))
    if upper_limb_earlier:
        upper = child_plan("upper_limb_spasticity_pediatric", "dysport", patient)
        signed_session_make(plan=upper, performed_at=TODAY - dt.timedelta(hours=1), units=upper_limb_earlier,
                            muscle="Biceps brachii")
    sites = [site("Soleus", left, side="left"), site("Soleus", right, side="right")]
    report = check(child_plan("lower_limb_spasticity_pediatric", "dysport", patient), TODAY, sites,
                   weight=Decimal(weight))
    assert (PER_DAY in {f.code for f in report.hard}) is blocked
    assert PER_LEG not in codes(report)


def test_a_dysport_session_the_day_before_is_not_the_same_treatment_day():
    patient = PatientFactory(date_of_birth=dt.date(2020, 6, 1))
    upper = child_plan("upper_limb_spasticity_pediatric", "dysport", patient)
    signed_session_make(plan=upper, performed_at=TODAY - dt.timedelta(days=1), units=320, muscle="Biceps brachii")
    report = check(child_plan("lower_limb_spasticity_pediatric", "dysport", patient), TODAY,
                   [site("Soleus", 300, side="left"), site("Soleus", 300, side="right")], weight=Decimal("20"))
    assert PER_DAY not in codes(report)
    assert report.cumulative_label == "600 U Dysport of 600 U on one clinic day"
