"""Reads for the outcomes section of the patient chart and the alert worklist.

``patient_outcomes`` costs three queries whatever the history's length (assessments, rules,
alerts): plans and signed sessions come from the treatment chart already loaded on the page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from accounts.roles import has_role

from .charts import TrendSvg, trend_svg
from .instruments import INSTRUMENTS, Instrument
from .models import Assessment, AssessmentAlert, ResponseRule


@dataclass(frozen=True)
class Injection:
    date: dt.date
    label: str  # "155 U Botox"


@dataclass(frozen=True)
class CycleResponse:
    cycle: int
    injected_on: dt.date
    latest: Assessment | None
    improvement_percent: Decimal | None  # positive = better, whichever way the scale runs


@dataclass(frozen=True)
class RuleFinding:
    rule: ResponseRule
    status: str  # "review", "met", "pending"
    message: str


@dataclass
class ScaleTrend:
    instrument: Instrument
    assessments: list[Assessment]
    svg: TrendSvg
    baseline: Assessment | None = None
    cycles: list[CycleResponse] = field(default_factory=list)


@dataclass
class PlanOutcomes:
    plan: Any
    scales: list[ScaleTrend]
    injections: list[Injection]
    findings: list[RuleFinding]
    missing_scales: list[Instrument]


@dataclass(frozen=True)
class PatientOutcomes:
    plans: list[PlanOutcomes]
    alerts: list[AssessmentAlert]


def improvement(instrument: Instrument, baseline: Decimal, latest: Decimal) -> Decimal | None:
    """% improvement from baseline: a fall for most scales, a rise for EQ-5D VAS. None from zero."""
    if baseline == 0:
        return None
    change = (baseline - latest) if instrument.lower_is_better else (latest - baseline)
    return (change * 100 / baseline).quantize(Decimal("0.1"))


def plan_scores(assessments: list[Assessment], *, plan_id: int, instrument: str) -> list[Assessment]:
    """A plan's own scores on one scale, plus the patient's standalone ones (QoL scales are taken
    for the patient, not a plan). ``assessments`` are the patient's, oldest first."""
    return [a for a in assessments if a.instrument == instrument and a.plan_id in (plan_id, None)]


def baseline_score(assessments: list[Assessment], first_injection: dt.date) -> Assessment | None:
    """The last score on or before the first injection (scores are taken before injecting)."""
    before = [a for a in assessments if a.taken_on <= first_injection]
    return before[-1] if before else None


def latest_score(assessments: list[Assessment], after: dt.date, until: dt.date = dt.date.max) -> Assessment | None:
    """The last score taken after ``after`` and on or before ``until``."""
    inside = [a for a in assessments if after < a.taken_on <= until]
    return inside[-1] if inside else None


def cycle_responses(
    instrument: Instrument, assessments: list[Assessment], injected_on: list[dt.date]
) -> tuple[Assessment | None, list[CycleResponse]]:
    """Baseline: the last score on or before the first injection. After cycle n: the last score
    after injection n and on or before injection n+1. ``injected_on`` is sorted, oldest first.
    The patient chart and the clinic report both read response this way."""
    if not injected_on:
        return None, []
    baseline = baseline_score(assessments, injected_on[0])
    cycles = []
    for n, day in enumerate(injected_on, 1):
        latest = latest_score(assessments, day, injected_on[n] if n < len(injected_on) else dt.date.max)
        percent = None
        if latest is not None and baseline is not None:
            percent = improvement(instrument, baseline.total, latest.total)
        cycles.append(CycleResponse(n, day, latest, percent))
    return baseline, cycles


def scale_response(trend: ScaleTrend, injections: list[Injection]) -> None:
    """Fill ``trend``'s baseline and per-cycle response (``cycle_responses``)."""
    trend.baseline, trend.cycles = cycle_responses(
        trend.instrument, trend.assessments, [injection.date for injection in injections])


def rule_findings(rules: list[ResponseRule], trends: dict[str, ScaleTrend]) -> list[RuleFinding]:
    findings = []
    for rule in rules:
        trend = trends.get(rule.instrument)
        cycle = next((c for c in trend.cycles if c.cycle == rule.after_cycles), None) if trend else None
        if cycle is None or cycle.improvement_percent is None:
            findings.append(RuleFinding(rule, "pending", f"Not assessable yet: needs a baseline and a score "
                                                         f"after cycle {rule.after_cycles}."))
        elif cycle.improvement_percent < rule.minimum_improvement_percent:
            findings.append(RuleFinding(rule, "review", f"{cycle.improvement_percent}% improvement after "
                                        f"{rule.after_cycles} cycles (< {rule.minimum_improvement_percent}%): "
                                        f"flag for review."))
        else:
            findings.append(RuleFinding(rule, "met", f"{cycle.improvement_percent}% improvement after "
                                        f"{rule.after_cycles} cycles (≥ {rule.minimum_improvement_percent}%)."))
    return findings


def _plan_outcomes(plan, assessments: list[Assessment], injections: list[Injection],
                   rules: list[ResponseRule]) -> PlanOutcomes:
    trends: dict[str, ScaleTrend] = {}
    missing = []
    for code in plan.indication.outcome_scales:
        instrument = INSTRUMENTS.get(code)
        if instrument is None:
            continue
        rows = plan_scores(assessments, plan_id=plan.pk, instrument=code)
        if not rows:
            missing.append(instrument)
            continue
        points = [(a.taken_on, a.total) for a in rows]
        svg = trend_svg(instrument, points, [(i.date, i.label) for i in injections])
        trends[code] = trend = ScaleTrend(instrument, rows, svg)
        scale_response(trend, injections)
    own_rules = [rule for rule in rules if rule.indication_id == plan.indication_id]
    return PlanOutcomes(plan, list(trends.values()), injections, rule_findings(own_rules, trends), missing)


def patient_outcomes(*, patient, plans: list, timeline: list) -> PatientOutcomes:
    """Per plan, each scale's scores over time with the plan's signed injections, the response per
    cycle and the advisory rules' findings; and the patient's open alerts. ``plans`` and
    ``timeline`` are the treatment chart's (``treatments.selectors.patient_chart``)."""
    assessments = list(Assessment.objects.filter(patient=patient).order_by("taken_on", "pk"))
    rules = list(ResponseRule.objects.filter(is_active=True).order_by("code"))
    per_plan: dict[int, list[Injection]] = {}
    for entry in sorted(timeline, key=lambda entry: entry.session.performed_at):
        if entry.session.is_signed:
            per_plan.setdefault(entry.session.plan_id, []).append(Injection(entry.date, entry.total_label))
    alerts = list(
        AssessmentAlert.objects.filter(patient=patient, acknowledged_at__isnull=True)
        .select_related("assessment", "clinician").order_by("raised_at")
    )
    return PatientOutcomes(
        plans=[_plan_outcomes(plan, assessments, per_plan.get(plan.pk, []), rules) for plan in plans],
        alerts=alerts,
    )


def open_alerts(*, user) -> QuerySet[AssessmentAlert]:
    """Unacknowledged alerts for ``user``; a manager sees every clinician's."""
    alerts = AssessmentAlert.objects.filter(acknowledged_at__isnull=True).select_related(
        "patient", "clinician", "assessment").order_by("raised_at")
    return alerts if has_role(user, []) else alerts.filter(clinician=user)
