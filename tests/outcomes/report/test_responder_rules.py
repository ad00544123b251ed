"""Responders are counted only against the clinic's active response rules (NICE TA260 and
payer thresholds are configuration); a scale without a rule says so instead of inventing one."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from outcomes.models import ResponseRule
from outcomes.report import ReportFilters, outcomes_report
from tests.factories import TreatmentPlanFactory
from tests.outcomes.conftest import record
from treatments.models import Indication

from .conftest import BASELINE, IN_CYCLE_1, inject

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("nice_rule_on")]  # the clinic uses NICE TA260
NICE = "nice_ta260_headache_days"


def _scale(code: str, indication: str = "chronic_migraine"):
    figures = next(f for f in outcomes_report(ReportFilters()).indications if f.indication.code == indication)
    return next(scale for scale in figures.scales if scale.instrument.code == code)


def _responders(scale) -> list[list[tuple[str, int, int, bool]]]:
    return [[(r.rule.code, r.responders, r.assessed, r.at_rule_cycle) for r in cycle.responders]
            for cycle in scale.cycles]


def test_the_seeded_nice_rule_counts_responders_at_or_above_30_percent(scene):
    scale = _scale("headache_days")
    assert [rule.code for rule in scale.rules] == [NICE]
    # A: 30.0, 40.0, 50.0 %; B: 10.0, 20.0 % (none after cycle 3). 30.0 is "at or above".
    assert _responders(scale) == [[(NICE, 1, 2, False)], [(NICE, 1, 2, True)], [(NICE, 1, 1, False)]]


def test_a_scale_without_a_rule_has_no_responders_and_says_so(scene, clinician_client):
    assert _scale("midas").rules == [] and _responders(_scale("midas")) == [[], [], []]
    html = clinician_client.get(reverse("outcomes:report")).content.decode()
    assert html.count('data-testid="no-rule"') == 5  # every chronic-migraine scale but headache days
    assert "No responder rule configured for this scale." in html
    assert "advisory" in html and "NICE TA260" in html


def test_each_active_rule_on_a_scale_is_counted_on_its_own(scene):
    ResponseRule.objects.create(
        code="payer_x_headache_days", name="Payer X: 50% fewer headache days after 3 cycles",
        indication=Indication.objects.get(code="chronic_migraine"), instrument="headache_days", after_cycles=3,
        minimum_improvement_percent=Decimal("50"), source="test payer",
    )
    assert _responders(_scale("headache_days")) == [
        [(NICE, 1, 2, False), ("payer_x_headache_days", 0, 2, False)],
        [(NICE, 1, 2, True), ("payer_x_headache_days", 0, 2, False)],
        [(NICE, 1, 1, False), ("payer_x_headache_days", 1, 1, True)],  # A's 50.0 % meets 50
    ]


def test_an_edited_threshold_is_used_and_an_inactive_rule_is_not(scene):
    ResponseRule.objects.filter(code=NICE).update(minimum_improvement_percent=Decimal("45"))
    assert _responders(_scale("headache_days")) == [[(NICE, 0, 2, False)], [(NICE, 0, 2, True)], [(NICE, 1, 1, False)]]
    ResponseRule.objects.filter(code=NICE).update(is_active=False)
    assert _scale("headache_days").rules == []


def test_a_rule_applies_only_to_its_own_indication(scene, clinician_user):
    eyes = TreatmentPlanFactory(responsible_clinician=clinician_user, indication_code="blepharospasm")
    inject(eyes)
    record(clinician_user, eyes, "jankovic", {"severity": 4, "frequency": 3}, BASELINE)
    record(clinician_user, eyes, "jankovic", {"severity": 2, "frequency": 2}, IN_CYCLE_1)
    jankovic = _scale("jankovic", indication="blepharospasm")
    assert jankovic.rules == [] and jankovic.cycles[0].mean_percent == Decimal("42.9")  # 7 → 4
    assert _scale("headache_days").rules[0].code == NICE


def test_the_page_shows_a_responder_row_per_rule_with_the_rules_cycle_in_bold(scene, clinician_client):
    html = clinician_client.get(reverse("outcomes:report")).content.decode()
    [row] = html.split('data-testid="report-responders"')[1:]
    row = row.split("</tr>")[0]
    assert "Responders by <strong>NICE TA260: &lt;30% fewer headache days after 2 cycles</strong>" in row
    cells = re.findall(r'<td class="text-end( fw-bold)?"[^>]*>([^<]*)</td>', row)
    assert cells == [("", "1 of 2"), (" fw-bold", "1 of 2"), ("", "1 of 1")]
