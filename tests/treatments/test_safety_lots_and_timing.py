"""Expired lots, vials past their use-within time, wrong products and re-treatment too soon."""

import datetime as dt

import pytest

from tests.factories import TreatmentPlanFactory, VialLotFactory, seeded, signed_session_make

from .conftest import at, check, codes, site, vial

pytestmark = pytest.mark.django_db
FAR = dt.date(2099, 1, 1)


@pytest.mark.parametrize(("session_day", "expired"), [(dt.date(2030, 6, 30), False), (dt.date(2030, 7, 1), True)])
def test_a_lot_is_usable_on_its_expiry_date_and_not_the_day_after(migraine_plan, botox, session_day, expired):
    lot = VialLotFactory(product=botox, expiry_date=dt.date(2030, 6, 30))
    when = at(session_day.year, session_day.month, session_day.day)
    report = check(migraine_plan, when, [site(units=5)], vials=[vial(lot, reconstituted_at=when)])
    assert (f"lot_expired_{lot.pk}" in {f.code for f in report.hard}) is expired


@pytest.mark.parametrize(("hours", "late"), [(24, False), (24.01, True)])
def test_botox_must_be_given_within_24_hours_of_reconstitution(migraine_plan, botox, hours, late):
    lot = VialLotFactory(product=botox, expiry_date=FAR)
    when = at(2030, 3, 20)
    vials = [vial(lot, reconstituted_at=when - dt.timedelta(hours=hours))]
    report = check(migraine_plan, when, [site(units=5)], vials=vials)
    assert (f"vial_past_use_within_{lot.pk}" in {f.code for f in report.hard}) is late


def test_use_within_counts_real_hours_across_the_dst_change(migraine_plan, botox):
    lot = VialLotFactory(product=botox, expiry_date=FAR)
    # 9 Mar 2030 09:00 CST to 10 Mar 10:00 CDT is 24 real hours, though the clock moved 25.
    report = check(migraine_plan, at(2030, 3, 10, 10), [site(units=5)],
                   vials=[vial(lot, reconstituted_at=at(2030, 3, 9, 9))])
    assert codes(report) == set()


def test_an_unverified_use_within_time_is_only_a_warning(clinician_user):
    myobloc = seeded("Product", code="myobloc")  # 4 h diluted use-by is unverified (U): configuration
    plan = TreatmentPlanFactory(indication_code="cervical_dystonia", product=myobloc,
                                responsible_clinician=clinician_user)
    lot = VialLotFactory(product=myobloc, vial_units=5000, expiry_date=FAR)
    when = at(2030, 3, 10)
    report = check(plan, when, [site("Splenius capitis", 2500)],
                   vials=[vial(lot, diluent_ml=None, reconstituted_at=when - dt.timedelta(hours=5))])
    assert f"vial_past_use_within_{lot.pk}" in {f.code for f in report.warnings}
    assert not report.blocks_signing


def test_a_lot_of_another_product_is_hard_and_a_product_other_than_the_plans_is_a_warning(migraine_plan):
    xeomin = seeded("Product", code="xeomin")
    botox_lot = VialLotFactory(product=seeded("Product", code="botox"), expiry_date=FAR)
    when = at(2030, 3, 10)
    report = check(migraine_plan, when, [site(units=5)], product=xeomin,
                   vials=[vial(botox_lot, reconstituted_at=when)])
    assert f"lot_product_mismatch_{botox_lot.pk}" in {f.code for f in report.hard}
    assert "product_differs_from_plan" in {f.code for f in report.warnings}


@pytest.mark.parametrize(("days_later", "warned"), [(83, True), (84, False)])
def test_re_treatment_sooner_than_the_plans_minimum_interval_is_a_warning(migraine_plan, days_later, warned):
    first = at(2030, 1, 7)
    signed_session_make(plan=migraine_plan, performed_at=first, units=100)
    report = check(migraine_plan, first + dt.timedelta(days=days_later), [site(units=100)])
    assert ("retreatment_too_soon" in {f.code for f in report.warnings}) is warned


def test_the_interval_follows_the_plan_not_other_plans(migraine_plan):
    other = TreatmentPlanFactory(patient=migraine_plan.patient, indication_code="cervical_dystonia",
                                 responsible_clinician=migraine_plan.responsible_clinician)
    signed_session_make(plan=other, performed_at=at(2030, 1, 7), units=100, muscle="Splenius capitis")
    assert "retreatment_too_soon" not in codes(check(migraine_plan, at(2030, 1, 21), [site(units=100)]))


def test_missing_doses_vials_and_too_few_units_opened_are_hard(migraine_plan, botox):
    lot = VialLotFactory(product=botox, vial_units=100, expiry_date=FAR)
    when = at(2030, 3, 10)
    assert {"dose_missing"} <= codes(check(migraine_plan, when, [site(units=None)]))
    assert "no_vials" in codes(check(migraine_plan, when, [site(units=5)], vials=[]))
    assert "no_sites" in codes(check(migraine_plan, when, [], vials=[]))
    too_much = check(migraine_plan, when, [site(units=60), site(units=41)], vials=[vial(lot, reconstituted_at=when)])
    assert "units_exceed_opened" in {f.code for f in too_much.hard}
