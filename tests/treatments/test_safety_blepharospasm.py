"""Botox blepharospasm: ≤200 U in any 30-day period (hard); little benefit above 5 U per site (warning)."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import TreatmentPlanFactory, signed_session_make

from .conftest import at, check, codes, site

pytestmark = pytest.mark.django_db
WINDOW, PER_SITE = "botox_blepharospasm_200u_30d", "botox_blepharospasm_5u_per_site"
LID = "Orbicularis oculi, pretarsal upper lid, medial"


@pytest.fixture
def plan(clinician_user):
    return TreatmentPlanFactory(indication_code="blepharospasm", responsible_clinician=clinician_user)


def eyelid_sites(total: Decimal) -> list:
    """``total`` units spread over 5 U sites (so the per-site warning stays quiet)."""
    sites, left = [], Decimal(total)
    while left > 0:
        dose = min(left, Decimal(5))
        sites.append(site(LID, dose, side="left" if len(sites) % 2 else "right"))
        left -= dose
    return sites


@pytest.mark.parametrize(("today", "blocked"), [("100", False), ("100.01", True)])
def test_200_units_in_30_days_is_the_limit(plan, today, blocked):
    signed_session_make(plan=plan, performed_at=at(2030, 4, 1), units=100, muscle=LID)
    report = check(plan, at(2030, 4, 20), eyelid_sites(Decimal(today)))
    assert (WINDOW in codes(report)) is blocked


@pytest.mark.parametrize(("days_later", "counted"), [(29, True), (30, False)])
def test_a_dose_30_days_ago_is_outside_the_period(plan, days_later, counted):
    signed_session_make(plan=plan, performed_at=at(2030, 4, 1), units=150, muscle=LID)
    report = check(plan, at(2030, 4, 1) + dt.timedelta(days=days_later), eyelid_sites(Decimal(60)))
    assert (WINDOW in codes(report)) is counted


def test_other_indications_do_not_count_toward_the_blepharospasm_period(plan):
    migraine = TreatmentPlanFactory(patient=plan.patient, responsible_clinician=plan.responsible_clinician)
    signed_session_make(plan=migraine, performed_at=at(2030, 4, 1), units=155)
    assert WINDOW not in codes(check(plan, at(2030, 4, 10), eyelid_sites(Decimal(60))))


@pytest.mark.parametrize(("units", "warned"), [("5", False), ("5.01", True)])
def test_more_than_5_units_at_a_site_is_a_warning(plan, units, warned):
    report = check(plan, at(2030, 4, 1), [site(LID, units)])
    assert (PER_SITE in codes(report)) is warned
    assert not report.blocks_signing
