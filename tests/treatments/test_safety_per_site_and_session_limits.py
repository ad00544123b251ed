"""Per-injection, per-site, per-muscle and per-session caps from the labels and protocols (docs/clinical-rules.md)."""

from decimal import Decimal

import pytest

from tests.factories import TreatmentPlanFactory, seeded

from .conftest import at, check, codes, site

pytestmark = pytest.mark.django_db


def plan_for(indication_code: str, product: str = "botox", **extra):
    return TreatmentPlanFactory(indication_code=indication_code, product=seeded("Product", code=product), **extra)


@pytest.mark.parametrize(("units", "blocked"), [("25", False), ("25.01", True)])
def test_strabismus_allows_at_most_25_units_in_one_injection(units, blocked):
    plan = plan_for("strabismus")
    report = check(plan, at(2030, 5, 1), [site("Medial rectus", units)])
    assert ("botox_strabismus_25u_per_injection" in codes(report)) is blocked
    assert report.blocks_signing is blocked


@pytest.mark.parametrize("indication", ["upper_limb_spasticity_adult", "lower_limb_spasticity_adult"])
@pytest.mark.parametrize(("units", "blocked"), [("50", False), ("50.01", True)])
def test_spasticity_allows_at_most_50_units_per_site(indication, units, blocked):
    plan = plan_for(indication)
    report = check(plan, at(2030, 5, 1), [site("Biceps brachii", units), site("Brachialis", 40)])
    assert (f"botox_{indication}_50u_per_site" in codes(report)) is blocked
    if blocked:
        assert "Biceps brachii left 50.01 U Botox" in report.hard[0].message


@pytest.mark.parametrize(("units", "warned"), [("50", False), ("51", True)])
def test_cervical_dystonia_warns_above_50_units_per_site(units, warned):
    report = check(plan_for("cervical_dystonia"), at(2030, 5, 1), [site("Splenius capitis", units)])
    assert ("botox_cervical_dystonia_50u_per_site" in codes(report)) is warned
    assert not report.blocks_signing


@pytest.mark.parametrize(("left", "right", "warned"), [("50", "50", False), ("50", "50.01", True)])
def test_cervical_dystonia_warns_above_100_units_in_the_sternocleidomastoid(left, right, warned):
    sites = [site("Sternocleidomastoid", left, side="left"), site("Sternocleidomastoid", right, side="right")]
    report = check(plan_for("cervical_dystonia"), at(2030, 5, 1), sites)
    assert ("botox_cervical_dystonia_scm_100u" in codes(report)) is warned


@pytest.mark.parametrize(("units", "blocked"), [("400", False), ("400.01", True)])
def test_xeomin_allows_at_most_400_units_in_one_session(units, blocked):
    plan = plan_for("upper_limb_spasticity_adult", product="xeomin")
    half = Decimal(units) / 10
    report = check(plan, at(2030, 5, 1), [site("Biceps brachii", half) for _ in range(10)])
    assert ("xeomin_400u_per_session" in codes(report)) is blocked
    if blocked:
        assert "U Xeomin" in report.hard[0].message


def test_xeomin_sessions_are_not_held_to_the_botox_window():
    plan = plan_for("cervical_dystonia", product="xeomin")
    report = check(plan, at(2030, 5, 1), [site("Splenius capitis", 40)])
    assert report.cumulative_units_in_window is None
    assert codes(report) == set()
