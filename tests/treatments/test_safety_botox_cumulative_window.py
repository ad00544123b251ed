"""Botox adults: ≤400 U in any 84-day window across all plans (BOTOX label; docs/clinical-rules.md), hard."""

from decimal import Decimal

import pytest

from tests.factories import InjectionSiteFactory, TreatmentPlanFactory, seeded, signed_session_make

from .conftest import at, check, codes, site

pytestmark = pytest.mark.django_db
RULE = "botox_adult_cumulative_400u_84d"


@pytest.mark.parametrize(("units", "blocked"), [("400", False), ("400.01", True), ("401", True)])
def test_the_limit_is_400_units_inclusive(migraine_plan, units, blocked):
    signed_session_make(plan=migraine_plan, performed_at=at(2030, 1, 5), units=155)
    today = Decimal(units) - 155
    report = check(migraine_plan, at(2030, 2, 5), [site(units=today)])
    assert (RULE in codes(report)) is blocked
    assert report.cumulative_units_in_window == Decimal(units)
    if blocked:
        assert report.blocks_signing
        assert "U Botox" in report.hard[0].message


@pytest.mark.parametrize(("days_later", "counted"), [(83, True), (84, False), (85, False)])
def test_a_dose_84_or_more_days_ago_is_outside_the_window(migraine_plan, days_later, counted):
    import datetime as dt

    first = at(2030, 1, 7)
    signed_session_make(plan=migraine_plan, performed_at=first, units=300)
    report = check(migraine_plan, first + dt.timedelta(days=days_later), [site(units=200)])
    assert (RULE in codes(report)) is counted
    assert report.cumulative_units_in_window == (500 if counted else 200)


def test_the_window_counts_clinic_days_across_the_spring_dst_change(migraine_plan):
    # 1 Jan 10:00 CST to 26 Mar 10:00 CDT is 84 clinic days but 83 days 23 hours of elapsed time:
    # counting elapsed time would wrongly put the first dose inside the window.
    signed_session_make(plan=migraine_plan, performed_at=at(2030, 1, 1), units=300)
    assert RULE not in codes(check(migraine_plan, at(2030, 3, 26), [site(units=200)]))
    assert RULE in codes(check(migraine_plan, at(2030, 3, 25), [site(units=200)]))


def test_the_window_counts_every_plan_of_the_patient(migraine_plan):
    dystonia = TreatmentPlanFactory(patient=migraine_plan.patient, indication_code="cervical_dystonia",
                                    responsible_clinician=migraine_plan.responsible_clinician)
    signed_session_make(plan=dystonia, performed_at=at(2030, 1, 10), units=250, muscle="Splenius capitis")
    report = check(migraine_plan, at(2030, 2, 1), [site(units=155)])
    assert RULE in codes(report)
    assert report.cumulative_units_in_window == Decimal("405")


def test_drafts_and_other_products_are_not_counted(migraine_plan):
    draft = signed_session_make(plan=migraine_plan, performed_at=at(2030, 1, 10), units=300)
    draft.status, draft.signed_at, draft.signed_by = "draft", None, None
    draft.save()
    xeomin_plan = TreatmentPlanFactory(patient=migraine_plan.patient, product=seeded("Product", code="xeomin"),
                                       responsible_clinician=migraine_plan.responsible_clinician)
    signed_session_make(plan=xeomin_plan, performed_at=at(2030, 1, 12), units=300)
    assert check(migraine_plan, at(2030, 2, 1), [site(units=155)]).cumulative_units_in_window == Decimal("155")


def test_the_session_being_edited_is_replaced_by_its_new_input(migraine_plan):
    editing = signed_session_make(plan=migraine_plan, performed_at=at(2030, 2, 1), units=300)
    report = check(migraine_plan, at(2030, 2, 1), [site(units=380)], exclude=editing.pk)
    assert report.cumulative_units_in_window == Decimal("380")


def test_a_late_entry_counts_signed_sessions_after_it(migraine_plan):
    signed_session_make(plan=migraine_plan, performed_at=at(2030, 3, 1), units=300)
    report = check(migraine_plan, at(2030, 2, 20), [site(units=150)])
    assert RULE in codes(report)


def test_sessions_far_apart_on_both_sides_do_not_share_a_window(migraine_plan):
    signed_session_make(plan=migraine_plan, performed_at=at(2030, 1, 1), units=250)
    signed_session_make(plan=migraine_plan, performed_at=at(2030, 5, 1), units=250)
    # 3 Mar is 61 days after one and 59 before the other, but they are 120 days apart.
    report = check(migraine_plan, at(2030, 3, 3), [site(units=150)])
    assert report.cumulative_units_in_window == Decimal("400")
    assert RULE not in codes(report)


def test_multi_site_history_is_summed(migraine_plan):
    history = signed_session_make(plan=migraine_plan, performed_at=at(2030, 1, 5), units=100)
    InjectionSiteFactory(session=history, units=150)
    assert check(migraine_plan, at(2030, 1, 20), [site(units=100)]).cumulative_units_in_window == Decimal("350")
