"""Botox chronic migraine: the 155 U protocol dose (clinic setting), the 195 U follow-the-pain
ceiling, 5 U per site and each muscle's protocol dose are warnings (docs/clinical-rules.md)."""

from decimal import Decimal

import pytest

from .conftest import at, check, codes, site

pytestmark = pytest.mark.django_db
TODAY = at(2030, 5, 1)


def temporalis_sites(total) -> list:
    """``total`` units in 5 U sites over four muscles, so no per-site or per-muscle rule speaks."""
    sites, left = [], Decimal(str(total))
    muscles = ["Temporalis", "Occipitalis", "Trapezius", "Frontalis"] * 20
    while left > 0:
        sites.append(site(muscles[len(sites) // 2], min(left, Decimal(5)), side=("left", "right")[len(sites) % 2]))
        left -= min(left, Decimal(5))
    return sites


@pytest.mark.parametrize(("units", "over_155", "over_195"), [
    ("155", False, False), ("155.01", True, False), ("195", True, False), ("195.01", True, True),
])
def test_the_protocol_dose_and_the_follow_the_pain_ceiling_warn(migraine_plan, units, over_155, over_195):
    report = check(migraine_plan, TODAY, temporalis_sites(units))
    assert ("botox_chronic_migraine_155u_per_session" in codes(report)) is over_155
    assert ("botox_chronic_migraine_195u_per_session" in codes(report)) is over_195
    assert not report.blocks_signing


def test_the_155_unit_figure_says_it_is_a_clinic_setting(migraine_plan):
    report = check(migraine_plan, TODAY, temporalis_sites(160))
    warning = next(f for f in report.warnings if f.code == "botox_chronic_migraine_155u_per_session")
    assert "clinic setting, unverified" in warning.message and "Unverified" in warning.source


@pytest.mark.parametrize(("units", "warned"), [("5", False), ("5.01", True)])
def test_more_than_5_units_at_a_site_warns(migraine_plan, units, warned):
    assert ("botox_chronic_migraine_5u_per_site" in codes(check(migraine_plan, TODAY, [site("Frontalis", units)]))) \
        is warned


@pytest.mark.parametrize(("muscle", "limit"), [
    ("Corrugator", 10), ("Procerus", 5), ("Frontalis", 20), ("Cervical paraspinal", 20),
    ("Temporalis", 80), ("Occipitalis", 70), ("Trapezius", 70),
])
@pytest.mark.parametrize(("extra", "warned"), [("0", False), ("0.01", True)])
def test_each_muscle_warns_above_its_protocol_dose(migraine_plan, muscle, limit, extra, warned):
    sides = ["midline"] if muscle == "Procerus" else ["left", "right"]
    sites = [site(muscle, 5, side=sides[n % len(sides)]) for n in range(limit // 5)]
    sites[-1] = site(muscle, Decimal(5) + Decimal(extra), side=sites[-1].side)
    code = f"botox_chronic_migraine_{muscle.lower().replace(' ', '_')}_{limit}u"
    assert (code in codes(check(migraine_plan, TODAY, sites))) is warned
