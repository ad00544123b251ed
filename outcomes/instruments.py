"""The outcome instruments, each defined once as data plus a scoring function.

Every range, band and licence note comes from ../shared/CLINICAL.md §5 and names its row; the
confidence mark (V, S, U) is that row's. Scores are always computed here from the items: a total
sent by a client is never trusted. ``score`` raises ``ValidationError`` on any out-of-range item.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

D = Decimal

# CLINICAL.md §5 Modified Ashworth (V): grades 0, 1, 1+, 2, 3, 4 (Bohannon & Smith 1987).
ASHWORTH_GRADES = ("0", "1", "1+", "2", "3", "4")


@dataclass(frozen=True)
class Item:
    code: str
    label: str
    minimum: Decimal = D(0)
    maximum: Decimal = D(0)
    scored: bool = True
    whole: bool = True  # an integer answer (days, points); False allows decimals


@dataclass(frozen=True)
class Band:
    label: str
    minimum: Decimal  # inclusive
    maximum: Decimal | None  # inclusive; None = no upper limit


@dataclass(frozen=True)
class Score:
    total: Decimal
    band: str = ""
    subscores: dict[str, str] = field(default_factory=dict)
    raises_alert: bool = False  # PHQ-9 item 9 above zero


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    unit: str
    items: tuple[Item, ...]
    minimum_total: Decimal
    maximum_total: Decimal
    source: str  # the CLINICAL.md row
    bands: tuple[Band, ...] = ()
    lower_is_better: bool = True
    requires_licence: bool = False
    licence_note: str = ""
    note: str = ""
    per_muscle: bool = False  # items are {"<muscle> (<side>)": grade}, not fixed codes
    # A questionnaire the patient completes (the pre-visit link offers it); False for scales a
    # clinician rates or measures, and for HIT-6, whose licensed items we do not reproduce.
    self_report: bool = False
    # The name a patient's page shows, where the full name would disclose a diagnosis.
    patient_title: str = ""
    scorer: Callable[[Instrument, Mapping[str, Any]], Score] | None = None

    @property
    def title_for_patient(self) -> str:
        return self.patient_title or self.name

    def band_for(self, total: Decimal) -> str:
        for band in self.bands:
            if total >= band.minimum and (band.maximum is None or total <= band.maximum):
                return band.label
        return ""

    def score(self, items: Mapping[str, Any]) -> tuple[dict[str, Any], Score]:
        """Validate ``items`` and score them: (the clean items to store, the score)."""
        if self.scorer is not None:
            return self.scorer(self, items)
        clean = _clean_items(self, items)
        total = sum((value for item, value in zip(self.items, clean.values(), strict=True) if item.scored), D(0))
        return clean, Score(total=total, band=self.band_for(total))


def item_answer(item: Item, raw: Any) -> Decimal:
    """One item's answer, checked on its own (also for a questionnaire's partial answers)."""
    try:
        value = D(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({item.code: f"{item.label}: enter a number."}) from None
    if not value.is_finite() or (item.whole and value != value.to_integral_value()):
        raise ValidationError({item.code: f"{item.label}: enter a whole number."})
    if not item.minimum <= value <= item.maximum:
        raise ValidationError({item.code: f"{item.label}: must be {item.minimum}–{item.maximum}."})
    return value


def _clean_items(instrument: Instrument, items: Mapping[str, Any]) -> dict[str, Decimal]:
    unknown = set(items) - {item.code for item in instrument.items}
    if unknown:
        raise ValidationError(f"{instrument.name}: unknown items {sorted(unknown)}.")
    clean = {}
    for item in instrument.items:
        raw = items.get(item.code)
        if raw is None or raw == "":
            raise ValidationError({item.code: f"{item.label}: required."})
        clean[item.code] = item_answer(item, raw)
    return clean


def _items(prefix: str, count: int, label: str, maximum: int) -> tuple[Item, ...]:
    return tuple(Item(f"{prefix}{n}", f"{label} {n}", D(0), D(maximum)) for n in range(1, count + 1))


def _score_phq9(instrument: Instrument, items: Mapping[str, Any]) -> tuple[dict[str, Any], Score]:
    clean = _clean_items(instrument, items)
    total = sum(clean.values(), D(0))
    # Item 9 (thoughts of self-harm) above zero is a safety alert whatever the total (issue 6).
    return clean, Score(total=total, band=instrument.band_for(total), raises_alert=clean["item9"] > 0)


def _score_twstrs(instrument: Instrument, items: Mapping[str, Any]) -> tuple[dict[str, Any], Score]:
    clean = _clean_items(instrument, items)
    return clean, Score(total=sum(clean.values(), D(0)), subscores={k: str(v) for k, v in clean.items()})


def _score_ashworth(instrument: Instrument, items: Mapping[str, Any]) -> tuple[dict[str, Any], Score]:
    """Per-muscle grades. The trend line is the mean of the grades' ordinal positions (0, 1, 1+ = 2,
    2 = 3, 3 = 4, 4 = 5): a charting convention of ours, not a CLINICAL.md score (U). The grades
    themselves are what is stored and shown."""
    if not items:
        raise ValidationError("Modified Ashworth: grade at least one muscle.")
    clean = {}
    for muscle, grade in items.items():
        if not str(muscle).strip():
            raise ValidationError("Modified Ashworth: name each muscle.")
        if str(grade) not in ASHWORTH_GRADES:
            raise ValidationError(f"Modified Ashworth: {muscle}: grade must be one of {', '.join(ASHWORTH_GRADES)}.")
        clean[str(muscle).strip()] = str(grade)
    ordinal = [ASHWORTH_GRADES.index(grade) for grade in clean.values()]
    total = (D(sum(ordinal)) / len(ordinal)).quantize(D("0.01"))
    worst = ASHWORTH_GRADES[max(ordinal)]
    return clean, Score(total=total, band=f"highest grade {worst}", subscores=clean)


def _score_midas(instrument: Instrument, items: Mapping[str, Any]) -> tuple[dict[str, Any], Score]:
    clean = _clean_items(instrument, items)
    total = sum((clean[item.code] for item in instrument.items if item.scored), D(0))
    unscored = {item.code: str(clean[item.code]) for item in instrument.items if not item.scored}
    return clean, Score(total=total, band=instrument.band_for(total), subscores=unscored)


_PHQ_GAD = "§5 PHQ-9 (V): 9 × 0–3 = 0–27"
INSTRUMENTS: dict[str, Instrument] = {
    instrument.code: instrument
    for instrument in (
        Instrument(
            "headache_days", "Monthly headache days", "days",
            # CLINICAL.md §5 Monthly headache days (V): a count per 28–30 days, so 0–30.
            (Item("days", "Headache days in the last month", D(0), D(30)),), D(0), D(30),
            "§5 Monthly headache days (V)", note="Response is the % reduction from baseline.",
            self_report=True,  # a diary the patient keeps
        ),
        Instrument(
            "midas", "MIDAS", "points",
            # CLINICAL.md §5 MIDAS (V): 5 items of days lost in 3 months (0–90 each), sum 0–270.
            _items("q", 5, "Days lost, question", 90)
            # The 2 unscored items (headache days in 3 months; pain 0–10) are MIDAS's own wording (U).
            + (Item("a", "Headache days in the last 3 months", D(0), D(90), scored=False),
               Item("b", "Average pain (0–10)", D(0), D(10), scored=False)),
            D(0), D(270), "§5 MIDAS (V; licence U)",
            # CLINICAL.md §5 MIDAS (V): I 0–5, II 6–10, III 11–20, IV ≥21.
            bands=(Band("Grade I", D(0), D(5)), Band("Grade II", D(6), D(10)),
                   Band("Grade III", D(11), D(20)), Band("Grade IV", D(21), None)),
            licence_note="Copyrighted (Lipton/Stewart); terms unverified (CLINICAL.md §5, U).",
            scorer=_score_midas, self_report=True,
        ),
        Instrument(
            "hit6", "HIT-6", "points",
            # CLINICAL.md §5 HIT-6 (V): total 36–78. Licensed, so only the total is recorded here.
            (Item("total", "HIT-6 total", D(36), D(78)),), D(36), D(78), "§5 HIT-6 (V)",
            # CLINICAL.md §5 HIT-6 (V): ≤49 little/none, 50–55 some, 56–59 substantial, ≥60 severe.
            bands=(Band("Little or no impact", D(36), D(49)), Band("Some impact", D(50), D(55)),
                   Band("Substantial impact", D(56), D(59)), Band("Severe impact", D(60), None)),
            requires_licence=True,
            licence_note="QualityMetric product: a licence is needed to use the questionnaire; "
                         "record the total and band only (CLINICAL.md §5).",
        ),
        Instrument(
            "twstrs", "TWSTRS", "points",
            # CLINICAL.md §5 TWSTRS (V): severity 0–35, disability 0–30, pain 0–20, total 0–85. The
            # Myobloc HCP page's disability 0–32 / total 0–87 is not the original published scale;
            # we keep the original 0–30 (the row's first figures).
            (Item("severity", "Severity", D(0), D(35)), Item("disability", "Disability", D(0), D(30)),
             Item("pain", "Pain", D(0), D(20))),
            D(0), D(85), "§5 TWSTRS (V)", scorer=_score_twstrs,
            licence_note="Original freely published (U); TWSTRS-2 needs MDS permission (CLINICAL.md §5).",
        ),
        Instrument(
            "tsui", "Tsui scale", "points",
            (Item("total", "Tsui score", D(0), D(25)),), D(0), D(25), "§5 Tsui scale (V): 0–25",
        ),
        Instrument(
            "modified_ashworth", "Modified Ashworth", "mean grade (0–5 ordinal)", (), D(0), D(5),
            "§5 Modified Ashworth (V): 0, 1, 1+, 2, 3, 4", per_muscle=True, scorer=_score_ashworth,
        ),
        Instrument(
            "jankovic", "Jankovic Rating Scale", "points",
            # CLINICAL.md §5 Jankovic (V): severity 0–4 + frequency 0–4 = 0–8.
            (Item("severity", "Severity", D(0), D(4)), Item("frequency", "Frequency", D(0), D(4))),
            D(0), D(8), "§5 Jankovic Rating Scale (V)", scorer=_score_twstrs,
        ),
        Instrument(
            "bdi", "Blepharospasm Disability Index", "points",
            # CLINICAL.md §5 BDI (V): 6 items × 0–4. The row says "= 0–30", but 6 × 4 is 24: we
            # validate the items and sum them, so the total cannot exceed 24 (row to be corrected).
            _items("item", 6, "Item", 4), D(0), D(24), "§5 Blepharospasm Disability Index (V)",
            self_report=True, patient_title="BDI",  # the full name says "blepharospasm"
        ),
        Instrument(
            "prism_diopters", "Strabismus deviation", "PD",
            # CLINICAL.md §5 Prism diopters (S) gives no range; 0–100 PD is a plausibility bound (U).
            (Item("deviation", "Measured deviation (prism diopters)", D(0), D(100)),), D(0), D(100),
            "§5 Prism diopters (S)",
            # CLINICAL.md §5 Prism diopters (S): "success often ≤10 PD residual".
            bands=(Band("≤10 PD residual", D(0), D(10)), Band(">10 PD residual", D("10.01"), None)),
        ),
        Instrument(
            "phq9", "PHQ-9", "points", _items("item", 9, "Item", 3), D(0), D(27), _PHQ_GAD,
            # CLINICAL.md §5 PHQ-9 (V): 0–4 minimal, 5–9 mild, 10–14 moderate, 15–19 moderately
            # severe, 20–27 severe.
            bands=(Band("Minimal", D(0), D(4)), Band("Mild", D(5), D(9)), Band("Moderate", D(10), D(14)),
                   Band("Moderately severe", D(15), D(19)), Band("Severe", D(20), D(27))),
            licence_note="Pfizer ©; 'no permission required' (CLINICAL.md §5, U).", scorer=_score_phq9,
            self_report=True,
        ),
        Instrument(
            "gad7", "GAD-7", "points", _items("item", 7, "Item", 3), D(0), D(21), "§5 GAD-7 (V): 7 × 0–3 = 0–21",
            # CLINICAL.md §5 GAD-7 (V): 0–4 minimal, 5–9 mild, 10–14 moderate, 15–21 severe.
            bands=(Band("Minimal", D(0), D(4)), Band("Mild", D(5), D(9)), Band("Moderate", D(10), D(14)),
                   Band("Severe", D(15), D(21))),
            licence_note="As PHQ-9 (CLINICAL.md §5, U).", self_report=True,
        ),
        Instrument(
            "eq5d_vas", "EQ-5D VAS", "points",
            # CLINICAL.md §5 EQ-5D VAS (V; range U): 0–100, worst to best imaginable health.
            (Item("vas", "Health today (0 worst – 100 best)", D(0), D(100)),), D(0), D(100), "§5 EQ-5D VAS",
            lower_is_better=False, requires_licence=True, self_report=True,
            licence_note="EuroQol owns the IP: registration required, fees for some uses (CLINICAL.md §5).",
        ),
    )
}

INSTRUMENT_CHOICES = [(code, instrument.name) for code, instrument in INSTRUMENTS.items()]
QOL_CODES = ("phq9", "gad7", "eq5d_vas")  # every patient, whatever the indication (CLINICAL.md §5 QoL rows)
# Asked before every visit whatever the plan's scales (issue 6: "plus PHQ-9 and GAD-7").
ALWAYS_ASKED_CODES = ("phq9", "gad7")


def patient_questionnaire_codes(plan_scales: list[str]) -> list[str]:
    """What a patient is asked before a visit, in order: the plan's self-report scales, then
    PHQ-9 and GAD-7 if the plan does not already list them."""
    codes = [code for code in plan_scales if code in INSTRUMENTS and INSTRUMENTS[code].self_report]
    return codes + [code for code in ALWAYS_ASKED_CODES if code not in codes]


def instrument_get(code: str) -> Instrument:
    try:
        return INSTRUMENTS[code]
    except KeyError:
        raise ValidationError(f"Unknown outcome scale {code!r}.") from None


def score(code: str, items: Mapping[str, Any]) -> tuple[dict[str, Any], Score]:
    """Validate and score one instrument's items; the only way a total is ever computed."""
    return instrument_get(code).score(items)
