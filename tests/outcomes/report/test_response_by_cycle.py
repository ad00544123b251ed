"""Response per indication, scale and cycle: plans injected, assessable, mean change in points and
in %, read as on the chart (baseline on or before injection 1; latest after injection n, on or
before injection n+1)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from outcomes.report import ReportFilters, outcomes_report
from tests.factories import TreatmentPlanFactory
from tests.outcomes.conftest import record

from .conftest import BASELINE, IN_CYCLE_1, inject

pytestmark = pytest.mark.django_db
D = Decimal


def _scale(report, code: str):
    [figures] = report.indications
    return next(scale for scale in figures.scales if scale.instrument.code == code)


def _row(cycle) -> tuple:
    return (cycle.cycle, cycle.injected, cycle.assessable, cycle.mean_points, cycle.with_percent, cycle.mean_percent)


def test_headache_days_per_cycle_are_the_hand_computed_means(scene):
    report = outcomes_report(ReportFilters())
    [figures] = report.indications
    assert figures.indication.code == "chronic_migraine" and (figures.plans, figures.patients) == (2, 2)
    assert [_row(cycle) for cycle in _scale(report, "headache_days").cycles] == [
        (1, 2, 2, D("-3.5"), 2, D("20.0")),  # A −6 / 30 %, B −1 / 10 %
        (2, 2, 2, D("-5.0"), 2, D("30.0")),  # A −8 / 40 %, B −2 / 20 %
        (3, 2, 1, D("-10.0"), 1, D("50.0")),  # A −10 / 50 %; B has no score after cycle 3
    ]


def test_a_scale_scored_for_one_plan_only_counts_that_plan(scene):
    assert [_row(cycle) for cycle in _scale(outcomes_report(ReportFilters()), "midas").cycles] == [
        (1, 2, 1, D("-10.0"), 1, D("25.0")),
        (2, 2, 0, None, 0, None),
        (3, 2, 0, None, 0, None),
    ]


def test_a_higher_is_better_scale_counts_a_rise_as_improvement(scene, clinician_user):
    record(clinician_user, scene.a, "eq5d_vas", {"vas": 50}, BASELINE)
    record(clinician_user, scene.a, "eq5d_vas", {"vas": 60}, IN_CYCLE_1)
    cycle_1 = _scale(outcomes_report(ReportFilters()), "eq5d_vas").cycles[0]
    assert (cycle_1.mean_points, cycle_1.mean_percent) == (D("10.0"), D("20.0"))  # +10 points, 20 % better


def test_a_plan_without_a_baseline_is_injected_but_not_assessable(scene, clinician_user):
    late = TreatmentPlanFactory(responsible_clinician=clinician_user)
    inject(late)
    record(clinician_user, late, "headache_days", {"days": 5}, IN_CYCLE_1)  # no score before injection 1
    cycle_1 = _scale(outcomes_report(ReportFilters()), "headache_days").cycles[0]
    assert (cycle_1.injected, cycle_1.assessable, cycle_1.mean_points) == (3, 2, D("-3.5"))


def test_the_report_page_shows_the_figures(clinician_client, scene):
    html = clinician_client.get(reverse("outcomes:report")).content.decode()
    assert "Chronic migraine" in html and "2 plans, 2 patients" in html
    assert html.count('data-testid="report-scale"') == 6  # headache days, MIDAS, HIT-6, PHQ-9, GAD-7, EQ-5D VAS
    assert "-3.5" in html and "20.0%" in html and "50.0%" in html
