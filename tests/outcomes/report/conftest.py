"""The report's scene: two chronic-migraine plans, three cycles each, with figures small enough to
check by hand (the expected figures are worked out in each test's comments)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from accounts.roles import Role
from tests.factories import TreatmentPlanFactory, UserFactory, signed_session_make
from tests.outcomes.conftest import record
from treatments.models import TreatmentPlan

FIRST = dt.date(2025, 1, 6)
INJECTED = [FIRST, FIRST + dt.timedelta(weeks=12), FIRST + dt.timedelta(weeks=24)]  # Jan 6, Mar 31, Jun 23
BASELINE = dt.date(2024, 12, 30)
IN_CYCLE_1, ALSO_IN_CYCLE_1 = dt.date(2025, 2, 3), dt.date(2025, 3, 3)
IN_CYCLE_2, IN_CYCLE_3 = dt.date(2025, 4, 28), dt.date(2025, 7, 21)


def items_summing(total: int, count: int, maximum: int = 3) -> dict[str, int]:
    """PHQ-9 / GAD-7 answers ('item1'…) adding up to ``total``; item 9 stays 0 (no alert)."""
    answers = {}
    for n in range(1, count + 1):
        answers[f"item{n}"] = min(maximum, total) if n != 9 else 0
        total -= answers[f"item{n}"]
    assert total == 0
    return answers


def inject(plan: TreatmentPlan, days: list[dt.date] = INJECTED) -> None:
    for day in days:
        signed_session_make(plan=plan, performed_at=dt.datetime.combine(day, dt.time(16), tzinfo=dt.UTC))


@dataclass(frozen=True)
class Scene:
    a: TreatmentPlan  # a responder
    b: TreatmentPlan  # a poor responder, with no score after cycle 3


@pytest.fixture
def scene(clinician_user) -> Scene:
    a = TreatmentPlanFactory(responsible_clinician=clinician_user)
    b = TreatmentPlanFactory(responsible_clinician=UserFactory(username="okafor", role=Role.CLINICIAN))
    for plan in (a, b):
        inject(plan)

    def diary(plan: TreatmentPlan, scores: dict[dt.date, int]) -> None:
        for day, days in scores.items():
            record(clinician_user, plan, "headache_days", {"days": days}, day)

    # A: 20 → 14 after cycle 1 (−6, 30.0 %), 12 after 2 (−8, 40.0 %), 10 after 3 (−10, 50.0 %).
    diary(a, {BASELINE: 20, IN_CYCLE_1: 16, ALSO_IN_CYCLE_1: 14, IN_CYCLE_2: 12, IN_CYCLE_3: 10})
    # B: 10 → 9 after cycle 1 (−1, 10.0 %), 8 after 2 (−2, 20.0 %), nothing after 3.
    diary(b, {BASELINE: 10, IN_CYCLE_1: 9, IN_CYCLE_2: 8})
    # MIDAS (no rule configured) for A only: 40 → 30 after cycle 1 (−10, 25.0 %).
    for day, total in ((BASELINE, 40), (ALSO_IN_CYCLE_1, 30)):
        record(clinician_user, a, "midas", {"q1": total, "q2": 0, "q3": 0, "q4": 0, "q5": 0, "a": 20, "b": 6}, day)
    # PHQ-9: A moderate (12) → mild (6) after cycle 3; B mild (8) → moderate (11) after cycle 2.
    record(clinician_user, a, "phq9", items_summing(12, 9), BASELINE)
    record(clinician_user, a, "phq9", items_summing(6, 9), IN_CYCLE_3)
    record(clinician_user, b, "phq9", items_summing(8, 9), BASELINE)
    record(clinician_user, b, "phq9", items_summing(11, 9), IN_CYCLE_2)
    # GAD-7: A has a baseline only (mild, 7); B has none.
    record(clinician_user, a, "gad7", items_summing(7, 7), BASELINE)
    return Scene(a, b)
