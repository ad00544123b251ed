"""The outcome instruments, each defined once as data plus a scoring function.

Every range, band and licence note comes from ../shared/CLINICAL.md §5 and names its row; the
confidence mark (V, S, U) is that row's. Scores are always computed here from the items: a total
sent by a client is never trusted. ``score`` raises ``ValidationError`` on any out-of-range item.

A questionnaire a patient answers from the pre-visit link carries its wording as data: a stem,
each item's ``question`` and the answer labels, copied from the public source named in a comment
beside it. An instrument whose wording we could not source is not offered to patients
(``self_report=False``): a patient cannot answer "Item 1".
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
    # The question as the patient reads it, verbatim from the source cited beside the instrument;
    # "" where we have no sourced wording. ``label`` stays the short name staff see in errors.
    question: str = ""


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
    # clinician rates or measures, for HIT-6, whose licensed items we do not reproduce, and for any
    # scale whose patient wording we have no source for. Every self-report item has a ``question``.
    self_report: bool = False
    # The name a patient's page shows, where the full name would disclose a diagnosis.
    patient_title: str = ""
    # The instruction above the items, and the words for each whole-number answer from the items'
    # minimum up (PHQ-9 and GAD-7: 0 "Not at all" … 3 "Nearly every day"); both from the source.
    stem: str = ""
    answer_labels: tuple[str, ...] = ()
    scorer: Callable[[Instrument, Mapping[str, Any]], Score] | None = None

    @property
    def title_for_patient(self) -> str:
        return self.patient_title or self.name

    def answer_choices(self, item: Item) -> list[tuple[int, str]]:
        """(value, words) for each whole-number answer of ``item``: the instrument's answer labels
        where it has them, else the number itself. A label list that does not match the item's
        range raises, rather than pairing a score with the wrong words."""
        values = range(int(item.minimum), int(item.maximum) + 1)
        return list(zip(values, self.answer_labels or [str(value) for value in values], strict=True))

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


def _items(prefix: str, count: int, label: str, maximum: int, questions: tuple[str, ...] = ()) -> tuple[Item, ...]:
    """``count`` items ``<prefix>1``… scored 0–``maximum``, with their patient wording if given."""
    questions = questions or ("",) * count
    return tuple(Item(f"{prefix}{n}", f"{label} {n}", D(0), D(maximum), question=question)
                 for n, question in zip(range(1, count + 1), questions, strict=True))


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


# --- Patient wording ------------------------------------------------------------------------------
# PHQ-9 and GAD-7, verbatim from CamCOPS (University of Cambridge, Department of Psychiatry),
# github.com/ucam-department-of-psychiatry/camcops, server/camcops_server/extra_strings/phq9.xml
# (commit b7d36c87091911de83a199e362ff98cfe186afb7) and gad7.xml (commit
# bf41776c8940a7324568e91573bd32bd6c5ea09f): strings "stem", "q1"… (without their "1. " numbers)
# and "a0"–"a3". Both files share the stem and the four answers, kept once here. Licence: CamCOPS
# docs/source/tasks/phq9.rst (commit 267c0f654dc0650aea15e4031778cae7b28c1cd4) quotes
# phqscreeners.com: "no permission is required to reproduce, translate, display or distribute
# them"; CLINICAL.md §5 still marks that U.
_PHQ_STEM = "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
_PHQ_ANSWERS = ("Not at all", "Several days", "More than half the days", "Nearly every day")
_PHQ9_QUESTIONS = (
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or "
    "restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead or of hurting yourself in some way",
)
_GAD7_QUESTIONS = (
    "Feeling nervous, anxious or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid as if something awful might happen",
)
# MIDAS, verbatim from Wikipedia, "Migraine Disability Assessment Test", section "Questions"
# (https://en.wikipedia.org/wiki/Migraine_Disability_Assessment_Test; the source CLINICAL.md §5's
# MIDAS row cites). One correction: its question 4 reads "reduced by half of more", an evident
# slip for "half or more", the words of its question 2.
_MIDAS_QUESTIONS = (
    "On how many days in the last 3 months did you miss work or school because of your headaches?",
    "How many days in the last 3 months was your productivity at work or school reduced by half or more because "
    "of your headaches? (Do not include days you counted in question 1 where you missed work or school.)",
    "On how many days in the last 3 months did you not do household work because of your headaches?",
    "How many days in the last three months was your productivity in household work reduced by half or more "
    "because of your headaches? (Do not include days you counted in question 3 where you did not do household "
    "work.)",
    "On how many days in the last 3 months did you miss family, social or leisure activities because of your "
    "headaches?",
)
_MIDAS_HEADACHE_DAYS = ("On how many days in the last 3 months did you have a headache? (If a headache lasted more "
                        "than 1 day, count each day.)")
_MIDAS_PAIN = ("On a scale of 0 - 10, on average how painful were these headaches? (where 0 = no pain at all and "
               "10 = pain as bad as it can be.)")
# The headache-days diary has no published form to copy: the question is MIDAS item A's wording
# (above) over CLINICAL.md §5's diary period, "count per 28–30 d", taken as the 30 days that the
# item's 0–30 range allows.
_DIARY_QUESTION = ("On how many days in the last 30 days did you have a headache? (If a headache lasted more than "
                   "1 day, count each day.)")

_PHQ_GAD = "§5 PHQ-9 (V): 9 × 0–3 = 0–27"
INSTRUMENTS: dict[str, Instrument] = {
    instrument.code: instrument
    for instrument in (
        Instrument(
            "headache_days", "Monthly headache days", "days",
            # CLINICAL.md §5 Monthly headache days (V): a count per 28–30 days, so 0–30.
            (Item("days", "Headache days in the last month", D(0), D(30), question=_DIARY_QUESTION),), D(0), D(30),
            "§5 Monthly headache days (V)", note="Response is the % reduction from baseline.",
            self_report=True,  # a diary the patient keeps
        ),
        Instrument(
            "midas", "MIDAS", "points",
            # CLINICAL.md §5 MIDAS (V): 5 items of days lost in 3 months (0–90 each), sum 0–270.
            _items("q", 5, "Days lost, question", 90, _MIDAS_QUESTIONS)
            # The 2 unscored items (headache days in 3 months; pain 0–10), MIDAS's items A and B.
            + (Item("a", "Headache days in the last 3 months", D(0), D(90), scored=False,
                    question=_MIDAS_HEADACHE_DAYS),
               Item("b", "Average pain (0–10)", D(0), D(10), scored=False, question=_MIDAS_PAIN)),
            D(0), D(270), "§5 MIDAS (V; licence U)",
            # CLINICAL.md §5 MIDAS (V): I 0–5, II 6–10, III 11–20, IV ≥21.
            bands=(Band("Grade I", D(0), D(5)), Band("Grade II", D(6), D(10)),
                   Band("Grade III", D(11), D(20)), Band("Grade IV", D(21), None)),
            licence_note="Copyrighted (Lipton/Stewart); terms unverified (CLINICAL.md §5, U).",
            # Self-report with its published wording (above); its terms of use are still U
            # (CLINICAL.md §5 and §7): confirm them before relying on this in production.
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
            # Not offered to patients: no public source for its item wording or answer words was
            # found (the searches found the scale named and scored, never its text), and CLINICAL.md
            # §5 marks its licence U. Clinician-entered until a sourced, licensed text is added.
            patient_title="BDI",  # the full name says "blepharospasm", should it be offered again
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
            "phq9", "PHQ-9", "points", _items("item", 9, "Item", 3, _PHQ9_QUESTIONS), D(0), D(27), _PHQ_GAD,
            # CLINICAL.md §5 PHQ-9 (V): 0–4 minimal, 5–9 mild, 10–14 moderate, 15–19 moderately
            # severe, 20–27 severe.
            bands=(Band("Minimal", D(0), D(4)), Band("Mild", D(5), D(9)), Band("Moderate", D(10), D(14)),
                   Band("Moderately severe", D(15), D(19)), Band("Severe", D(20), D(27))),
            licence_note="Pfizer ©; 'no permission required' (CLINICAL.md §5, U).", scorer=_score_phq9,
            self_report=True, stem=_PHQ_STEM, answer_labels=_PHQ_ANSWERS,
        ),
        Instrument(
            "gad7", "GAD-7", "points", _items("item", 7, "Item", 3, _GAD7_QUESTIONS), D(0), D(21),
            "§5 GAD-7 (V): 7 × 0–3 = 0–21",
            # CLINICAL.md §5 GAD-7 (V): 0–4 minimal, 5–9 mild, 10–14 moderate, 15–21 severe.
            bands=(Band("Minimal", D(0), D(4)), Band("Mild", D(5), D(9)), Band("Moderate", D(10), D(14)),
                   Band("Severe", D(15), D(21))),
            licence_note="As PHQ-9 (CLINICAL.md §5, U).", self_report=True, stem=_PHQ_STEM,
            answer_labels=_PHQ_ANSWERS,
        ),
        Instrument(
            "eq5d_vas", "EQ-5D VAS", "points",
            # CLINICAL.md §5 EQ-5D VAS (V; range U): 0–100, worst to best imaginable health.
            (Item("vas", "Health today (0 worst – 100 best)", D(0), D(100)),), D(0), D(100), "§5 EQ-5D VAS",
            lower_is_better=False, requires_licence=True,
            # Not offered to patients: EuroQol owns the EQ-5D's wording and requires registration
            # (CLINICAL.md §5); neither its patient text nor our licence to show it is confirmed, and
            # "Health today (0 worst – 100 best)" is our label, not the instrument's words.
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
