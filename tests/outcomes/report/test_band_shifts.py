"""PHQ-9 and GAD-7 band shifts: each patient's band on or before their first injection against
their band at their last score after it, as a cross-tab with improved / same / worse."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from outcomes.report import ReportFilters, outcomes_report
from outcomes.services import assessment_record
from tests.factories import TreatmentPlanFactory

from .conftest import BASELINE, IN_CYCLE_1, inject, items_summing

pytestmark = pytest.mark.django_db


def _shift(code: str, **filters):
    return next(s for s in outcomes_report(ReportFilters(**filters)).band_shifts if s.instrument.code == code)


def _cells(shift) -> dict[tuple[str, str], int]:
    return {(row.band, shift.bands[n]): count for row in shift.rows for n, count in enumerate(row.counts) if count}


def test_phq9_moves_are_cross_tabulated_from_baseline_band_to_latest_band(scene):
    shift = _shift("phq9")
    assert shift.bands == ["Minimal", "Mild", "Moderate", "Moderately severe", "Severe"]
    # A: 12 moderate → 6 mild (improved); B: 8 mild → 11 moderate (worse).
    assert _cells(shift) == {("Moderate", "Mild"): 1, ("Mild", "Moderate"): 1}
    assert (shift.improved, shift.same, shift.worse, shift.no_baseline, shift.no_follow_up) == (1, 0, 1, 0, 0)
    assert [row.total for row in shift.rows] == [0, 1, 1, 0, 0]


def test_gad7_counts_patients_without_a_baseline_or_without_a_later_score(scene):
    shift = _shift("gad7")
    assert shift.bands == ["Minimal", "Mild", "Moderate", "Severe"]
    # A has a baseline (7, mild) and nothing after; B has no GAD-7 at all.
    assert (shift.patients, shift.no_baseline, shift.no_follow_up) == (0, 1, 1)


def test_a_standalone_score_counts_and_a_band_kept_is_same(scene, clinician_user):
    plan = TreatmentPlanFactory(responsible_clinician=clinician_user)
    inject(plan)
    for total, day in ((3, BASELINE), (2, IN_CYCLE_1)):  # linked to no plan: QoL scales are the patient's
        assessment_record(actor=clinician_user, patient=plan.patient, instrument="phq9",
                          items=items_summing(total, 9), taken_on=day)
    shift = _shift("phq9")
    assert _cells(shift)[("Minimal", "Minimal")] == 1 and (shift.improved, shift.same, shift.worse) == (1, 1, 1)


def test_a_treated_patient_with_no_scores_has_no_baseline(scene, clinician_user):
    inject(TreatmentPlanFactory(responsible_clinician=clinician_user))
    assert _shift("phq9").no_baseline == 1 and _shift("gad7").no_baseline == 2


def test_the_latest_score_is_taken_up_to_the_end_of_the_date_range(scene):
    shift = _shift("phq9", until=dt.date(2025, 5, 31))  # A's later PHQ-9 (Jul 21) is after it
    assert _cells(shift) == {("Mild", "Moderate"): 1} and shift.no_follow_up == 1


def test_the_page_shows_the_cross_tab(clinician_client, scene):
    html = clinician_client.get(reverse("outcomes:report")).content.decode()
    assert html.count('data-testid="band-shift"') == 2
    assert "1 improved, 0 same band, 1 worse" in html
