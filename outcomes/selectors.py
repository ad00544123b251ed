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
from django.utils import timezone

from accounts.roles import is_manager
from clinic.clock import local_instant
from scheduling.models import AppointmentStatus

from .charts import TrendSvg, trend_svg
from .instruments import INSTRUMENTS, Instrument
from .links import QuestionnaireLinkInvalid, questionnaire_token_read
from .models import Assessment, AssessmentAlert, QuestionnaireInvitation, ReportedBy, ResponseRule

# A questionnaire can be filled in until its visit starts (a patient who checked in early may
# finish it in the waiting room).
QUESTIONNAIRE_VISIT_STATUSES = (AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED, AppointmentStatus.CHECKED_IN)


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

    @property
    def has_patient_reported(self) -> bool:
        return any(a.reported_by == ReportedBy.PATIENT for a in self.assessments)


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
        svg = trend_svg(instrument, points, [(i.date, i.label) for i in injections],
                        patient_reported=[a.reported_by == ReportedBy.PATIENT for a in rows],
                        labels=[a.total_label for a in rows])
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
    return alerts if is_manager(user) else alerts.filter(clinician=user)


# --- Pre-visit questionnaires -------------------------------------------------------------------

@dataclass(frozen=True)
class QuestionnaireStep:
    instrument: Instrument
    done: bool


@dataclass(frozen=True)
class QuestionnairePage:
    """All a patient's questionnaire page may show: a first name, the steps, the current one and
    its saved answers. No surname, date of birth, record number, diagnosis or visit details."""

    invitation: QuestionnaireInvitation
    first_name: str
    steps: list[QuestionnaireStep]
    current: Instrument | None  # None when every step is recorded
    number: int  # the current step's, from 1
    draft: dict[str, Any]

    @property
    def total(self) -> int:
        return len(self.steps)


def questionnaire_is_open(invitation: QuestionnaireInvitation, now: dt.datetime | None = None) -> bool:
    """Not completed, and its visit is still to come (a cancelled, moved-into-the-past or started
    visit closes it)."""
    appointment = invitation.appointment
    return (invitation.completed_at is None and appointment.status in QUESTIONNAIRE_VISIT_STATUSES
            and appointment.start_at > (now or timezone.now()))


def questionnaire_from_token(token: str) -> QuestionnaireInvitation:
    """The invitation a genuine link names, whatever its state; ``QuestionnaireLinkInvalid`` if none."""
    invitation = (QuestionnaireInvitation.objects.select_related("appointment", "patient", "plan")
                  .filter(pk=questionnaire_token_read(token)).first())
    if invitation is None:
        raise QuestionnaireLinkInvalid("no such invitation")
    return invitation


def questionnaire_open(token: str) -> QuestionnaireInvitation:
    """The invitation behind a link that still works; else ``QuestionnaireLinkInvalid``."""
    invitation = questionnaire_from_token(token)
    if not questionnaire_is_open(invitation):
        raise QuestionnaireLinkInvalid("completed, or its visit has started or is off", gone=True)
    return invitation


def questionnaire_recorded(invitation: QuestionnaireInvitation) -> set[str]:
    """The instruments of ``invitation`` already submitted (recorded as assessments)."""
    return set(Assessment.objects.filter(invitation=invitation).values_list("instrument", flat=True))


def questionnaire_page(invitation: QuestionnaireInvitation) -> QuestionnairePage:
    recorded = questionnaire_recorded(invitation)
    steps = [QuestionnaireStep(INSTRUMENTS[code], code in recorded) for code in invitation.instruments_asked]
    current = next((step.instrument for step in steps if not step.done), None)
    number = next((n for n, step in enumerate(steps, 1) if not step.done), len(steps))
    patient = invitation.patient
    return QuestionnairePage(
        invitation=invitation, first_name=patient.preferred_name or patient.first_name, steps=steps,
        current=current, number=number, draft=invitation.answers.get(current.code, {}) if current else {},
    )


def questionnaire_for_chart(*, patient) -> QuestionnaireInvitation | None:
    """For the patient page, in one query: the questionnaire of the patient's next visit (today's
    included, so that the clinician sees it during the visit), if one was sent."""
    today_began = local_instant(timezone.localdate(), dt.time.min)
    return (QuestionnaireInvitation.objects.select_related("appointment")
            .filter(patient=patient, appointment__start_at__gte=today_began,
                    appointment__status__in=(*QUESTIONNAIRE_VISIT_STATUSES, AppointmentStatus.COMPLETED))
            .order_by("appointment__start_at").first())
