"""The clinic-level outcomes report: response by indication, scale and cycle number, and
PHQ-9 / GAD-7 band shifts, for clinicians and managers.

Response is read exactly as on the patient chart (``selectors.cycle_responses``): the baseline is
the last score on or before the plan's first signed injection; after cycle n, the last score after
injection n and on or before injection n+1. Responders are counted only against an active
``ResponseRule`` of the indication and scale (payer and NICE TA260 thresholds are configuration, never
code); a scale without one says so. Every figure is advisory, as the rules are.

Filters: a cycle is counted when its injection (the plan's n-th signed session, numbered over the
plan's whole history) took place on a clinic date in the range; indication and responsible
clinician select plans. Band shifts compare each patient's last PHQ-9 / GAD-7 on or before their
first injection (of the selected plans) with their last one after it, up to the range's end.

Cost: four queries whatever the number of plans and scores (plans with their indications, signed
sessions, scores, rules), each bounded by the plans with a session in the range; the arithmetic is
done here, one patient at a time, so memory holds the plans and one patient's scores, not the
clinic's.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from operator import attrgetter

from django.db.models import QuerySet

from clinic.clock import local_date, local_instant
from clinic.spreadsheets import safe_cell
from treatments.models import Indication, InjectionSession, SessionStatus, TreatmentPlan

from .instruments import INSTRUMENTS, Instrument
from .models import Assessment, ResponseRule
from .selectors import baseline_score, cycle_responses, latest_score, plan_scores

BAND_SHIFT_CODES = ("phq9", "gad7")
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class ReportFilters:
    since: dt.date | None = None
    until: dt.date | None = None
    indication: Indication | None = None
    clinician: object | None = None  # a User: the plans' responsible clinician

    def covers(self, day: dt.date) -> bool:
        return (self.since is None or self.since <= day) and (self.until is None or day <= self.until)


@dataclass(frozen=True)
class RuleResponders:
    rule: ResponseRule
    responders: int
    assessed: int  # plans with a % change (a baseline of zero has none)
    at_rule_cycle: bool  # the cycle after which the rule itself assesses (NICE TA260: after 2 cycles)


@dataclass(frozen=True)
class CycleFigures:
    cycle: int
    injected: int  # plans whose n-th injection is counted
    assessable: int  # of those, with a baseline and a score after this cycle
    mean_points: Decimal | None  # latest − baseline, in the scale's points (a fall is negative)
    with_percent: int
    mean_percent: Decimal | None  # improvement, positive = better whichever way the scale runs
    responders: list[RuleResponders]


@dataclass(frozen=True)
class RuleRow:
    rule: ResponseRule
    cells: list[RuleResponders]  # one per cycle


@dataclass
class ScaleFigures:
    instrument: Instrument
    rules: list[ResponseRule]
    cycles: list[CycleFigures] = field(default_factory=list)

    @property
    def rule_rows(self) -> list[RuleRow]:
        """Each rule's responders across the cycles: a row of the page's table."""
        return [RuleRow(rule, [cycle.responders[n] for cycle in self.cycles]) for n, rule in enumerate(self.rules)]


@dataclass(frozen=True)
class CycleColumn:
    cycle: int
    injected: int


@dataclass
class IndicationFigures:
    indication: Indication
    plans: int
    patients: int
    columns: list[CycleColumn]
    scales: list[ScaleFigures]


@dataclass(frozen=True)
class BandRow:
    band: str
    counts: list[int]  # one per band of the instrument, in order
    total: int


@dataclass(frozen=True)
class BandShift:
    instrument: Instrument
    bands: list[str]
    rows: list[BandRow]
    improved: int
    same: int
    worse: int
    no_baseline: int  # patients with no score on or before their first injection
    no_follow_up: int  # a baseline, but no score after the first injection

    @property
    def patients(self) -> int:
        return self.improved + self.same + self.worse


@dataclass(frozen=True)
class OutcomesReport:
    filters: ReportFilters
    indications: list[IndicationFigures]
    band_shifts: list[BandShift]


@dataclass(frozen=True)
class _Response:
    points: Decimal
    percent: Decimal | None


def _mean(values: list[Decimal]) -> Decimal | None:
    return (sum(values, Decimal(0)) / len(values)).quantize(TENTH) if values else None


def _plans(filters: ReportFilters) -> QuerySet[TreatmentPlan]:
    """Plans of the indication and clinician with at least one signed session in the range.
    Asked from the sessions' side (``plan IN (sessions in range)``), so the performed_at index
    picks the range and the cost follows the sessions in it, not the number of plans."""
    signed = InjectionSession.objects.filter(status=SessionStatus.SIGNED)
    if filters.since is not None:
        signed = signed.filter(performed_at__gte=local_instant(filters.since, dt.time.min))
    if filters.until is not None:
        signed = signed.filter(performed_at__lt=local_instant(filters.until + dt.timedelta(days=1), dt.time.min))
    plans = TreatmentPlan.objects.filter(pk__in=signed.values("plan_id"))
    if filters.indication is not None:
        plans = plans.filter(indication=filters.indication)
    if filters.clinician is not None:
        plans = plans.filter(responsible_clinician=filters.clinician)
    return plans


def _injections(plans: QuerySet[TreatmentPlan]) -> dict[int, list[dt.date]]:
    """Each plan's signed injections over its whole history (cycle numbers start at its first)."""
    sessions = (InjectionSession.objects.filter(plan__in=plans.values("pk"), status=SessionStatus.SIGNED)
                .order_by("performed_at", "pk").values_list("plan_id", "performed_at"))
    dates: dict[int, list[dt.date]] = defaultdict(list)
    for plan_id, performed_at in sessions:
        dates[plan_id].append(local_date(performed_at))
    return dates


def _scores(plans: QuerySet[TreatmentPlan]) -> Iterable[Assessment]:
    """The selected plans' patients' scores, patient by patient, oldest first; streamed."""
    return (Assessment.objects.filter(patient__in=plans.values("patient_id"))
            .only("patient_id", "plan_id", "instrument", "taken_on", "total")
            .order_by("patient_id", "taken_on", "pk").iterator(chunk_size=2000))


def _collect_responses(plan: TreatmentPlan, scores: dict[str, list[Assessment]], injected_on: list[dt.date],
                       filters: ReportFilters, into: dict[tuple[int, str, int], list[_Response]]) -> None:
    """Add the plan's response after each counted cycle, per scale, to ``into``."""
    for code in plan.indication.outcome_scales:
        instrument = INSTRUMENTS.get(code)
        if instrument is None:
            continue
        rows = plan_scores(scores.get(code, []), plan_id=plan.pk, instrument=code)
        baseline, cycles = cycle_responses(instrument, rows, injected_on)
        if baseline is None:
            continue
        for cycle in cycles:
            if cycle.latest is not None and filters.covers(cycle.injected_on):
                into[(plan.indication_id, code, cycle.cycle)].append(
                    _Response(cycle.latest.total - baseline.total, cycle.improvement_percent))


def _band_index(instrument: Instrument, assessment: Assessment) -> int:
    # From the total, not the stored label: the cross-tab uses the instrument's bands as defined now.
    return [band.label for band in instrument.bands].index(instrument.band_for(assessment.total))


def _band_pair(instrument: Instrument, scores: list[Assessment], first_injection: dt.date,
               until: dt.date | None) -> tuple[int | None, int | None]:
    """(baseline band, latest band) for one patient: None where there is no such score."""
    baseline = baseline_score(scores, first_injection)
    if baseline is None:
        return None, None
    latest = latest_score(scores, first_injection, until or dt.date.max)
    return _band_index(instrument, baseline), None if latest is None else _band_index(instrument, latest)


def _movement(instrument: Instrument, before: int, after: int) -> str:
    """'improved', 'same' or 'worse' between two band indexes (bands run from the lowest total up)."""
    if after == before:
        return "same"
    return "improved" if (after < before) == instrument.lower_is_better else "worse"


def _band_shift(instrument: Instrument, pairs: list[tuple[int | None, int | None]]) -> BandShift:
    bands = [band.label for band in instrument.bands]
    grid = [[0] * len(bands) for _ in bands]
    moved = {"improved": 0, "same": 0, "worse": 0}
    no_baseline = no_follow_up = 0
    for before, after in pairs:
        if before is None:
            no_baseline += 1
        elif after is None:
            no_follow_up += 1
        else:
            grid[before][after] += 1
            moved[_movement(instrument, before, after)] += 1
    rows = [BandRow(band, counts, sum(counts)) for band, counts in zip(bands, grid, strict=True)]
    return BandShift(instrument, bands, rows, moved["improved"], moved["same"], moved["worse"], no_baseline,
                     no_follow_up)


def _cycle_figures(cycle: int, injected: int, responses: list[_Response], rules: list[ResponseRule]) -> CycleFigures:
    percents = [response.percent for response in responses if response.percent is not None]
    return CycleFigures(
        cycle=cycle, injected=injected, assessable=len(responses),
        mean_points=_mean([response.points for response in responses]),
        with_percent=len(percents), mean_percent=_mean(percents),
        responders=[
            RuleResponders(rule, sum(1 for percent in percents if percent >= rule.minimum_improvement_percent),
                           len(percents), rule.after_cycles == cycle)
            for rule in rules
        ],
    )


def _indication_figures(indication: Indication, plans: list[TreatmentPlan], injected: dict[tuple[int, int], int],
                        responses: dict[tuple[int, str, int], list[_Response]],
                        rules: list[ResponseRule]) -> IndicationFigures:
    cycles = sorted(n for indication_id, n in injected if indication_id == indication.pk)
    scales = []
    for code in indication.outcome_scales:
        instrument = INSTRUMENTS.get(code)
        if instrument is None:
            continue
        own_rules = [rule for rule in rules if rule.indication_id == indication.pk and rule.instrument == code]
        scales.append(ScaleFigures(instrument, own_rules, [
            _cycle_figures(n, injected[(indication.pk, n)], responses.get((indication.pk, code, n), []), own_rules)
            for n in cycles
        ]))
    columns = [CycleColumn(n, injected[(indication.pk, n)]) for n in cycles]
    return IndicationFigures(indication, len(plans), len({plan.patient_id for plan in plans}), columns, scales)


def outcomes_report(filters: ReportFilters) -> OutcomesReport:
    """Response per indication, scale and cycle, and PHQ-9 / GAD-7 band shifts (module docstring)."""
    selected = _plans(filters)
    plans = list(selected.select_related("indication").order_by("indication__sort_order", "indication__name", "pk"))
    injections = _injections(selected)
    rules = list(ResponseRule.objects.filter(is_active=True).order_by("code"))

    injected: dict[tuple[int, int], int] = defaultdict(int)
    by_patient: dict[int, list[TreatmentPlan]] = defaultdict(list)
    for plan in plans:
        by_patient[plan.patient_id].append(plan)
        for n, day in enumerate(injections[plan.pk], 1):
            if filters.covers(day):
                injected[(plan.indication_id, n)] += 1

    responses: dict[tuple[int, str, int], list[_Response]] = defaultdict(list)
    pairs: dict[str, list[tuple[int | None, int | None]]] = {code: [] for code in BAND_SHIFT_CODES}
    scored = set()
    for patient_id, rows in groupby(_scores(selected), key=attrgetter("patient_id")):
        scores: dict[str, list[Assessment]] = defaultdict(list)
        for assessment in rows:
            scores[assessment.instrument].append(assessment)
        own_plans = by_patient[patient_id]
        for plan in own_plans:
            _collect_responses(plan, scores, injections[plan.pk], filters, responses)
        first_injection = min(injections[plan.pk][0] for plan in own_plans)
        for code in BAND_SHIFT_CODES:  # every score of the patient's: these scales are the patient's, not a plan's
            pairs[code].append(_band_pair(INSTRUMENTS[code], scores.get(code, []), first_injection, filters.until))
        scored.add(patient_id)
    for code in BAND_SHIFT_CODES:
        pairs[code] += [(None, None)] * len(by_patient.keys() - scored)

    indications = {plan.indication_id: plan.indication for plan in plans}  # in the plans' order
    return OutcomesReport(
        filters=filters,
        indications=[
            _indication_figures(indication, [plan for plan in plans if plan.indication_id == indication.pk],
                                injected, responses, rules)
            for indication in indications.values()
        ],
        band_shifts=[_band_shift(INSTRUMENTS[code], pairs[code]) for code in BAND_SHIFT_CODES],
    )


RESPONSE_HEADER = [
    "Indication", "Scale", "Unit", "Cycle", "Plans injected", "Plans assessable",
    "Mean change (points, latest - baseline)", "Plans with a % change", "Mean improvement (%, positive = better)",
    "Responder rule (advisory)", "Rule minimum improvement (%)", "Rule assesses after cycle", "Responders",
]
BAND_HEADER = ["Scale", "Baseline band", "Latest band", "Shift", "Patients"]
NO_RULE = "no responder rule configured"


def _number(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def _response_rows(report: OutcomesReport) -> Iterable[list[str]]:
    for figures in report.indications:
        for scale in figures.scales:
            for cycle in scale.cycles:
                common = [safe_cell(figures.indication.name), safe_cell(scale.instrument.name),
                          safe_cell(scale.instrument.unit), str(cycle.cycle), str(cycle.injected),
                          str(cycle.assessable), _number(cycle.mean_points), str(cycle.with_percent),
                          _number(cycle.mean_percent)]
                if not cycle.responders:
                    yield [*common, NO_RULE, "", "", ""]
                for counted in cycle.responders:
                    yield [*common, safe_cell(counted.rule.name), str(counted.rule.minimum_improvement_percent),
                           str(counted.rule.after_cycles), str(counted.responders)]


def _band_rows(shift: BandShift) -> Iterable[list[str]]:
    name = safe_cell(shift.instrument.name)
    for before, row in enumerate(shift.rows):
        for after, count in enumerate(row.counts):
            yield [name, safe_cell(row.band), safe_cell(shift.bands[after]),
                   _movement(shift.instrument, before, after), str(count)]
    yield [name, "", "", "not assessable: no baseline", str(shift.no_baseline)]
    yield [name, "", "", "not assessable: no later score", str(shift.no_follow_up)]


def report_csv_rows(report: OutcomesReport) -> Iterator[list[str]]:
    """The report's figures as two tables in one file: response per cycle, then band shifts."""
    yield RESPONSE_HEADER
    yield from _response_rows(report)
    yield []
    yield BAND_HEADER
    for shift in report.band_shifts:
        yield from _band_rows(shift)


def report_csv(report: OutcomesReport) -> str:
    """``report_csv_rows`` as one string."""
    out = io.StringIO()
    csv.writer(out).writerows(report_csv_rows(report))
    return out.getvalue()
