"""Dose safety: the label limits, held as ``DoseRule`` rows (docs/clinical-rules.md lists each
with its source), plus the checks on lots, vials, intervals and completeness that every session
must pass.

``safety_check`` works on plain input, so the session form can show the running total and the
warnings before anything is saved; ``safety_check_session`` runs it on a saved session. Both make
the same three queries however many sites, vials or past sessions there are.

A hard finding blocks signing; a warning may be overridden with a written reason. A rule marked
U (unverified) is clinic configuration: its finding says so, and never reads as label fact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from clinic.clock import local_date
from clinic.formats import clinic_date

from .dosing import ZERO, format_units, total_units, units_exceed_opened, units_label, units_opened
from .models import Confidence, DoseRule, DoseRuleKind, Population, Product, RuleSeverity, TreatmentPlan
from .selectors import SignedDose, last_signed_session_at, session_detail, signed_doses_between

HARD, WARNING = RuleSeverity.HARD, RuleSeverity.WARNING
_NOT_INTERCHANGEABLE = ("Product labels (V): units 'cannot be compared to nor converted into units of any other "
                        "botulinum toxin products'")
# The BOTOX and Dysport labels' pediatric spasticity dosing covers ages 2 to 17: 18 and over is adult.
ADULT_AGE_YEARS = 18


@dataclass(frozen=True)
class Finding:
    code: str  # a DoseRule's code, or a fixed check's name; the key of a written override
    severity: str
    message: str
    rule: DoseRule | None = None
    source: str = ""

    @property
    def is_hard(self) -> bool:
        return self.severity == HARD


@dataclass(frozen=True)
class WindowTotal:
    """A cumulative rule's running total: this session plus signed sessions in its window."""

    rule: DoseRule
    units: Decimal
    limit: Decimal


@dataclass
class SafetyReport:
    product: Product
    total_units: Decimal
    findings: list[Finding] = field(default_factory=list)
    windows: list[WindowTotal] = field(default_factory=list)

    @property
    def hard(self) -> list[Finding]:
        return [f for f in self.findings if f.is_hard]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.is_hard]

    @property
    def blocks_signing(self) -> bool:
        return bool(self.hard)

    @property
    def warning_codes(self) -> list[str]:
        return [f.code for f in self.warnings]

    @property
    def primary_window(self) -> WindowTotal | None:
        """The widest cumulative window (the all-indication limit) is the running total shown."""
        return max(self.windows, key=lambda w: w.rule.window_days, default=None)

    @property
    def cumulative_units_in_window(self) -> Decimal | None:
        window = self.primary_window
        return window.units if window else None

    @property
    def cumulative_label(self) -> str:
        """'310 U Botox of 400 U in 84 days', or '' when no window rule applies to this product."""
        window = self.primary_window
        if window is None:
            return ""
        limit = format_units(window.limit)
        return f"{units_label(window.units, self.product)} of {limit} U {_window_words(window.rule)}"


@dataclass(frozen=True)
class _Context:
    """What every check reads: the input, resolved once."""

    patient: object
    plan: TreatmentPlan
    product: Product
    performed_at: dt.datetime
    day: dt.date
    population: str
    sites: Sequence
    vials: Sequence
    weight_kg: Decimal | None
    given: Decimal
    exclude_session_id: int | None


def safety_check(
    *, patient, plan: TreatmentPlan, product: Product, performed_at: dt.datetime, sites: Sequence,
    vials: Sequence, patient_weight_kg: Decimal | None, exclude_session_id: int | None = None,
) -> SafetyReport:
    """Check a session's doses, lots and timing. ``sites``/``vials`` are ``SiteInput``/``VialInput``
    or saved rows. ``exclude_session_id`` is the session being edited (its saved state is replaced
    by this input). Cumulative windows count the patient's SIGNED sessions on every plan plus this
    one: a draft is not yet a dose given (it may be abandoned, or be this very session), and
    signing re-runs the check under a lock on the patient, so two drafts cannot both slip through."""
    day = local_date(performed_at)
    pediatric = patient.age_on(day) < ADULT_AGE_YEARS
    context = _Context(
        patient=patient, plan=plan, product=product, performed_at=performed_at, day=day,
        population=Population.PEDIATRIC if pediatric else Population.ADULT, sites=list(sites), vials=list(vials),
        weight_kg=patient_weight_kg, given=total_units(sites), exclude_session_id=exclude_session_id,
    )
    report = SafetyReport(product=product, total_units=context.given)
    report.findings += _completeness_findings(context)
    report.findings += _lot_findings(context)
    report.findings += _plan_findings(context)
    _apply_dose_rules(context, report)
    return report


def safety_check_session(session) -> SafetyReport:
    """``safety_check`` on a saved session, as it stands in the database."""
    session = session_detail(pk=session.pk)
    return safety_check(
        patient=session.patient, plan=session.plan, product=session.product, performed_at=session.performed_at,
        sites=session.sites.all(), vials=session.vials.all(), patient_weight_kg=session.patient_weight_kg,
        exclude_session_id=session.pk,
    )


# --- Fixed checks --------------------------------------------------------------------------------

def _completeness_findings(c: _Context) -> list[Finding]:
    findings = []
    if not c.sites:
        findings.append(Finding("no_sites", HARD, "No injection sites are recorded."))
    blank = [site.muscle.name for site in c.sites if site.units is None]
    if blank:
        findings.append(Finding("dose_missing", HARD, f"No dose is set for: {', '.join(blank)}."))
    if c.sites and not c.vials:
        findings.append(Finding("no_vials", HARD, "No vials are recorded: pick the lot(s) used."))
    opened = units_opened(c.vials)
    if c.vials and units_exceed_opened(opened=opened, given=c.given):
        findings.append(Finding(
            "units_exceed_opened", HARD,
            f"{units_label(c.given, c.product)} given but only {units_label(opened, c.product)} opened.",
        ))
    if c.population == Population.PEDIATRIC and not c.weight_kg:
        findings.append(Finding(
            "pediatric_weight_missing", HARD,
            "The patient is under 18: record today's weight, pediatric doses are limited per kg.",
            source="BOTOX and Dysport labels: pediatric doses are per kg",
        ))
    return findings


def _lot_findings(c: _Context) -> list[Finding]:
    findings = []
    for vial in c.vials:
        lot = vial.lot
        if lot.product_id != c.product.pk:
            findings.append(Finding(
                f"lot_product_mismatch_{lot.pk}", HARD,
                f"Lot {lot.lot_number} is not {c.product.brand_name}: units are product-specific.",
                source=_NOT_INTERCHANGEABLE,
            ))
            continue
        if lot.is_expired_on(c.day):
            findings.append(Finding(
                f"lot_expired_{lot.pk}", HARD, f"Lot {lot.lot_number} expired on {clinic_date(lot.expiry_date)}.",
            ))
        finding = _use_within_finding(c, vial)
        if finding:
            findings.append(finding)
    return findings


def _use_within_finding(c: _Context, vial) -> Finding | None:
    """Real elapsed hours (not clock time), so a DST change neither adds nor removes an hour."""
    if vial.reconstituted_at is None:
        return None
    # Subtract in UTC: Python subtracts two datetimes sharing one tzinfo by wall clock, which
    # would count the hour the clocks skip on a DST change.
    elapsed = c.performed_at.astimezone(dt.UTC) - vial.reconstituted_at.astimezone(dt.UTC)
    if elapsed <= dt.timedelta(hours=c.product.use_within_hours):
        return None
    # A use-within figure marked U (Myobloc 4 h, Daxxify 72 h) is configuration: a warning only.
    verified = c.product.confidence in (Confidence.VERIFIED, Confidence.SECONDARY)
    hours = elapsed.total_seconds() / 3600
    return Finding(
        f"vial_past_use_within_{vial.lot.pk}", HARD if verified else WARNING,
        f"Lot {vial.lot.lot_number} was reconstituted {hours:.1f} h before the session; "
        f"{c.product.brand_name} is to be used within {c.product.use_within_hours} h"
        f"{'' if verified else ' (clinic setting, unverified)'}.",
        source=f"{c.product.brand_name}: use within hours of reconstitution ({c.product.get_confidence_display()})",
    )


def _age_findings(c: _Context) -> list[Finding]:
    """Use below the age a label gives is the clinician's decision: a warning, not a block."""
    youngest, age = c.plan.indication.minimum_age_years, c.patient.age_on(c.day)
    if youngest is None or age >= youngest:
        return []
    return [Finding(
        "younger_than_labelled_age", WARNING,
        f"The patient is {age}; the labels give {c.plan.indication.name.lower()} from {youngest} years.",
        source="Product labels: the age each use is labelled from (docs/clinical-rules.md)",
    )]


def _plan_findings(c: _Context) -> list[Finding]:
    findings = []
    if c.product.pk != c.plan.product_id:
        findings.append(Finding(
            "product_differs_from_plan", WARNING,
            f"This session uses {c.product.brand_name} but the plan is for {c.plan.product.brand_name}; "
            "units are not interchangeable between products.",
            source=_NOT_INTERCHANGEABLE,
        ))
    findings += _age_findings(c)
    last = last_signed_session_at(plan=c.plan, before=c.performed_at, exclude_session_id=c.exclude_session_id)
    if last is not None:
        days = (c.day - local_date(last)).days
        minimum = c.plan.minimum_interval_weeks * 7
        if days < minimum:
            findings.append(Finding(
                "retreatment_too_soon", WARNING,
                f"Only {days} days since the last signed session on {clinic_date(local_date(last))}; "
                f"this plan's minimum interval is {c.plan.minimum_interval_weeks} weeks.",
                source=f"Plan minimum interval (indication: {c.plan.indication.source})",
            ))
    return findings


# --- Dose rules ----------------------------------------------------------------------------------

def _applicable_rules(c: _Context) -> list[DoseRule]:
    return list(
        DoseRule.objects.filter(is_active=True, population__in=[Population.ANY, c.population])
        .filter(Q(product__isnull=True) | Q(product=c.product))
        .filter(Q(indication__isnull=True) | Q(indication_id=c.plan.indication_id))
        .order_by("code")
    )


def _limit(rule: DoseRule, weight_kg: Decimal | None) -> tuple[Decimal, str]:
    """The rule's limit and how it was reached: per kg rules take the lower of the two."""
    if rule.limit_units_per_kg and weight_kg:
        per_kg = (rule.limit_units_per_kg * Decimal(weight_kg)).quantize(Decimal("0.01"))
        if per_kg < rule.limit_units:
            return per_kg, (f" (lower of {format_units(rule.limit_units_per_kg)} U/kg × {format_units(weight_kg)} kg"
                            f" = {format_units(per_kg)} U and {format_units(rule.limit_units)} U)")
        return rule.limit_units, (f" (lower of {format_units(rule.limit_units)} U and "
                                  f"{format_units(rule.limit_units_per_kg)} U/kg = {format_units(per_kg)} U)")
    return rule.limit_units, ""


def _apply_dose_rules(c: _Context, report: SafetyReport) -> None:
    rules = _applicable_rules(c)
    windows = [r.window_days for r in rules if r.kind == DoseRuleKind.CUMULATIVE_WINDOW and r.window_days]
    doses = []
    if windows:
        reach = dt.timedelta(days=max(windows) - 1)
        doses = signed_doses_between(
            patient_id=c.patient.pk, first_day=c.day - reach, last_day=c.day + reach,
            exclude_session_id=c.exclude_session_id,
        )
    for rule in rules:
        limit, how = _limit(rule, c.weight_kg)
        check = _RULE_CHECKS[rule.kind]
        excess = check(c, rule, limit, doses, report)
        if excess:
            report.findings.append(Finding(
                rule.code, rule.severity, f"{rule.name}: {excess}; limit {format_units(limit)} U{how}{_setting(rule)}.",
                rule=rule, source=f"{rule.source} [{rule.get_confidence_display()}]",
            ))


def _setting(rule: DoseRule) -> str:
    """An unverified figure is the clinic's own setting: say so, so it never reads as label fact."""
    return " (clinic setting, unverified: not label wording)" if rule.confidence == Confidence.UNVERIFIED else ""


def _window_words(rule: DoseRule) -> str:
    return "on one clinic day" if rule.window_days == 1 else f"in {rule.window_days} days"


def _site_label(site) -> str:
    side = "" if site.side == "midline" else f" {site.side}"
    return f"{site.muscle.name}{side}"


def _check_per_session(c: _Context, rule: DoseRule, limit: Decimal, doses, report) -> str:
    return f"{units_label(c.given, c.product)} in this session" if c.given > limit else ""


def _check_per_site(c: _Context, rule: DoseRule, limit: Decimal, doses, report) -> str:
    over = [s for s in c.sites if s.units is not None and s.units > limit]
    return ", ".join(f"{_site_label(s)} {units_label(s.units, c.product)}" for s in over)


def _check_per_muscle(c: _Context, rule: DoseRule, limit: Decimal, doses, report) -> str:
    per_muscle: dict[str, Decimal] = {}
    for site in c.sites:
        if site.units is not None and (rule.muscle_id is None or site.muscle.pk == rule.muscle_id):
            per_muscle[site.muscle.name] = per_muscle.get(site.muscle.name, ZERO) + site.units
    return ", ".join(f"{name} {units_label(units, c.product)}" for name, units in per_muscle.items() if units > limit)


def _check_per_side(c: _Context, rule: DoseRule, limit: Decimal, doses, report) -> str:
    per_side: dict[str, Decimal] = {}
    for site in c.sites:
        if site.units is not None:
            per_side[site.side] = per_side.get(site.side, ZERO) + site.units
    over = [(side, units) for side, units in per_side.items() if units > limit]
    return ", ".join(f"{side} side {units_label(units, c.product)}" for side, units in over)


def _check_window(c: _Context, rule: DoseRule, limit: Decimal, doses: list[SignedDose], report) -> str:
    matching = [
        d for d in doses
        if (rule.product_id is None or d.product_id == rule.product_id)
        and (rule.indication_id is None or d.indication_id == rule.indication_id)
    ]
    total = c.given + max_window_total(day=c.day, window_days=rule.window_days, doses=matching)
    report.windows.append(WindowTotal(rule=rule, units=total, limit=limit))
    if total <= limit:
        return ""
    return f"{units_label(total, c.product)} {_window_words(rule)} including this session"


def max_window_total(*, day: dt.date, window_days: int, doses: Sequence[SignedDose]) -> Decimal:
    """The largest total of ``doses`` in any window of ``window_days`` clinic days that contains
    ``day``. Usually that is the window ending today; it differs when a session is entered late
    and signed sessions already follow it. Two doses share a window when their days differ by
    fewer than ``window_days`` (so with 84 days, day 83 counts and day 84 does not)."""
    span = dt.timedelta(days=window_days - 1)
    near = [d for d in doses if abs((d.day - day).days) <= window_days - 1]
    # The best window has a dose on its first or last day, or is pinned at day's extremes.
    starts = {day - span, day} | {d.day for d in near if d.day <= day} | {d.day - span for d in near if d.day >= day}
    return max(
        (sum((d.units for d in near if start <= d.day <= start + span), ZERO) for start in starts), default=ZERO
    )


_RULE_CHECKS = {
    DoseRuleKind.PER_SESSION: _check_per_session,
    DoseRuleKind.PER_SITE: _check_per_site,
    DoseRuleKind.PER_MUSCLE: _check_per_muscle,
    DoseRuleKind.PER_SIDE: _check_per_side,
    DoseRuleKind.CUMULATIVE_WINDOW: _check_window,
}
