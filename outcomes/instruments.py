"""The outcome instruments, each defined once as data plus a scoring function.

Every range, band and licence note names its published source and carries that source's
confidence mark (V primary, S secondary, U unverified). Scores are always computed here from the
items: a total sent by a client is never trusted. ``score`` raises ``ValidationError`` on any
out-of-range item.

A questionnaire a patient answers from the pre-visit link carries its wording as data: a stem,
each item's ``question`` and the answer labels, copied from the public source named in a comment
beside it. An instrument whose wording we could not source is not offered to patients
(``self_report=False``): a patient cannot answer "Item 1".
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

D = Decimal

# Modified Ashworth (V: Bohannon & Smith 1987, as tabled in BMC JNER and cryer.org.uk): grades
# 0, 1, 1+, 2, 3, 4. A grade's rank is its position here (1+ is rank 2); ranks are for arithmetic only.
ASHWORTH_GRADES = ("0", "1", "1+", "2", "3", "4")
# HIT-6 (V: QualityMetric; physiotutors): six items, each answer scored 6, 8, 10, 11 or 13. A total
# is valid only if some six answers add up to it (37, 39 and 77 cannot).
HIT6_ANSWER_SCORES = (6, 8, 10, 11, 13)
HIT6_TOTALS = frozenset(Decimal(sum(answers))
                        for answers in itertools.combinations_with_replacement(HIT6_ANSWER_SCORES, 6))


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
    # The only values the item can take, where the range has gaps (a HIT-6 total); None = any in range.
    allowed: frozenset[Decimal] | None = None
    allowed_note: str = ""  # why a value in range is refused, for the error message


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
    source: str  # the published source and its confidence mark
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
    # An ordinal scale whose result is a grade per muscle (Modified Ashworth): the stored total is
    # the mean rank of the grades, used to draw and compare, never shown as if it were a grade.
    grades: tuple[str, ...] = ()

    @property
    def title_for_patient(self) -> str:
        return self.patient_title or self.name

    @property
    def change_unit(self) -> str:
        """What a difference between two totals is counted in."""
        return "mean rank" if self.grades else "pts"

    def rank_label(self, rank: Decimal) -> str:
        """A graded scale's rank as a grade ('1+' for rank 2), or, between grades, the rank itself
        labelled as such; other scales' totals as numbers."""
        text = f"{Decimal(rank).normalize():f}"
        if not self.grades:
            return text
        if rank == rank.to_integral_value() and 0 <= rank < len(self.grades):
            return f"grade {self.grades[int(rank)]}"
        return f"mean rank {text}"

    def score_label(self, total: Decimal, subscores: Mapping[str, str]) -> str:
        """The result as a clinician reads it: each muscle's grade for a graded scale ('Biceps
        brachii (right) 1+'), the total for any other."""
        if self.grades and subscores:
            # Sorted: a JSON column on PostgreSQL (jsonb) does not keep the order the grades came in.
            return "; ".join(f"{muscle} {subscores[muscle]}" for muscle in sorted(subscores))
        if self.grades:
            return self.rank_label(total)
        return f"{total.normalize():f}"

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
    if item.allowed is not None and value not in item.allowed:
        raise ValidationError({item.code: item_not_allowed_message(item, value)})
    return value


def item_not_allowed_message(item: Item, value: Decimal) -> str:
    return f"{item.label}: {value.normalize():f} is not a possible value. {item.allowed_note}".strip()


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
    # Item 9 (thoughts of self-harm) above zero is a safety alert whatever the total.
    return clean, Score(total=total, band=instrument.band_for(total), raises_alert=clean["item9"] > 0)


def _score_twstrs(instrument: Instrument, items: Mapping[str, Any]) -> tuple[dict[str, Any], Score]:
    clean = _clean_items(instrument, items)
    return clean, Score(total=sum(clean.values(), D(0)), subscores={k: str(v) for k, v in clean.items()})


def _score_ashworth(instrument: Instrument, items: Mapping[str, Any]) -> tuple[dict[str, Any], Score]:
    """Per-muscle grades. The total is the mean of the grades' ranks (0, 1, 1+ = 2, 2 = 3, 3 = 4,
    4 = 5): our convention for drawing a trend and comparing visits, not a published score (U).
    The grades themselves are what is stored and shown (``Instrument.score_label``)."""
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
# them"; we still treat those terms as unverified (U).
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
# (https://en.wikipedia.org/wiki/Migraine_Disability_Assessment_Test, the source of the scale's
# range and grades below). One correction: its question 4 reads "reduced by half of more", an evident
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
# (above) over the diary period of ICHD-3's chronic-migraine definition, "per 28–30 days", taken
# as the 30 days that the item's 0–30 range allows.
_DIARY_QUESTION = ("On how many days in the last 30 days did you have a headache? (If a headache lasted more than "
                   "1 day, count each day.)")

_PHQ_GAD = "PHQ-9, 9 × 0–3 = 0–27 (V: wikimsk)"
INSTRUMENTS: dict[str, Instrument] = {
    instrument.code: instrument
    for instrument in (
        Instrument(
            "headache_days", "Monthly headache days", "days",
            # Monthly headache days (V, ICHD-3 definition): a count per 28–30 days, so 0–30.
            (Item("days", "Headache days in the last month", D(0), D(30), question=_DIARY_QUESTION),), D(0), D(30),
            "ICHD-3 chronic migraine definition (V)", note="Response is the % reduction from baseline.",
            self_report=True,  # a diary the patient keeps
        ),
        Instrument(
            "midas", "MIDAS", "points",
            # MIDAS (V: Wikipedia, bio-protocol): 5 items of days lost in 3 months (0–90 each), sum 0–270.
            _items("q", 5, "Days lost, question", 90, _MIDAS_QUESTIONS)
            # The 2 unscored items (headache days in 3 months; pain 0–10), MIDAS's items A and B.
            + (Item("a", "Headache days in the last 3 months", D(0), D(90), scored=False,
                    question=_MIDAS_HEADACHE_DAYS),
               Item("b", "Average pain (0–10)", D(0), D(10), scored=False, question=_MIDAS_PAIN)),
            D(0), D(270), "MIDAS, Lipton & Stewart (V: Wikipedia, bio-protocol; licence U)",
            # MIDAS grades (V, same sources): I 0–5, II 6–10, III 11–20, IV ≥21.
            bands=(Band("Grade I", D(0), D(5)), Band("Grade II", D(6), D(10)),
                   Band("Grade III", D(11), D(20)), Band("Grade IV", D(21), None)),
            licence_note="Copyrighted (Lipton/Stewart); terms unverified (U).",
            # Self-report with its published wording (above); its terms of use are still U
            # (U): confirm them before relying on this in production.
            scorer=_score_midas, self_report=True,
        ),
        Instrument(
            "hit6", "HIT-6", "points",
            # HIT-6 (V: QualityMetric catalog, physiotutors): total 36–78. Licensed, so only the total is
            # recorded here, and only a total that six answers can add up to.
            (Item("total", "HIT-6 total", D(36), D(78), allowed=HIT6_TOTALS,
                  allowed_note="Each of the six answers scores 6, 8, 10, 11 or 13, so the total cannot be "
                               "37, 39 or 77: check the addition."),),
            D(36), D(78), "HIT-6, QualityMetric (V: QualityMetric catalog, physiotutors)",
            # HIT-6 bands (V, same sources): ≤49 little/none, 50–55 some, 56–59 substantial, ≥60 severe.
            bands=(Band("Little or no impact", D(36), D(49)), Band("Some impact", D(50), D(55)),
                   Band("Substantial impact", D(56), D(59)), Band("Severe impact", D(60), None)),
            requires_licence=True,
            licence_note="QualityMetric product: a licence is needed to use the questionnaire; "
                         "record the total and band only.",
        ),
        Instrument(
            "twstrs", "TWSTRS", "points",
            # TWSTRS (V: BMJ Clinical Evidence table): severity 0–35, disability 0–30, pain 0–20, total 0–85. The
            # Myobloc HCP page's disability 0–32 / total 0–87 is not the original published scale;
            # we keep the original 0–30 (the row's first figures).
            (Item("severity", "Severity", D(0), D(35)), Item("disability", "Disability", D(0), D(30)),
             Item("pain", "Pain", D(0), D(20))),
            D(0), D(85), "TWSTRS (V: BMJ Clinical Evidence table)", scorer=_score_twstrs,
            licence_note="Original freely published (U); TWSTRS-2 needs MDS permission (MDS site).",
        ),
        Instrument(
            "tsui", "Tsui scale", "points",
            (Item("total", "Tsui score", D(0), D(25)),), D(0), D(25),
            "Tsui scale 0–25 (V: BMJ Clinical Evidence table)",
        ),
        Instrument(
            "modified_ashworth", "Modified Ashworth", "grades 0, 1, 1+, 2, 3, 4; the line is the mean rank, 0–5",
            (), D(0), D(5), "Modified Ashworth, Bohannon & Smith 1987 (V: BMC JNER table, cryer.org.uk)",
            per_muscle=True, scorer=_score_ashworth, grades=ASHWORTH_GRADES,
        ),
        Instrument(
            "jankovic", "Jankovic Rating Scale", "points",
            # Jankovic Rating Scale (V: BMJ Clinical Evidence table): severity 0–4 + frequency 0–4 = 0–8.
            (Item("severity", "Severity", D(0), D(4)), Item("frequency", "Frequency", D(0), D(4))),
            D(0), D(8), "Jankovic Rating Scale (V: BMJ Clinical Evidence table)", scorer=_score_twstrs,
        ),
        Instrument(
            "bdi", "Blepharospasm Disability Index", "points",
            # BDI (V: BMJ Clinical Evidence table): 6 items × 0–4 = 0–24.
            _items("item", 6, "Item", 4), D(0), D(24),
            "Blepharospasm Disability Index (V: BMJ Clinical Evidence table)",
            # Not offered to patients: no public source for its item wording or answer words was
            # found (the searches found the scale named and scored, never its text), and its
            # licence is unverified (U). Clinician-entered until a sourced, licensed text is added.
            patient_title="BDI",  # the full name says "blepharospasm", should it be offered again
        ),
        Instrument(
            "prism_diopters", "Strabismus deviation", "PD",
            # Prism diopters (S) have no published range; 0–100 PD is a plausibility bound (U).
            (Item("deviation", "Measured deviation (prism diopters)", D(0), D(100)),), D(0), D(100),
            "Prism diopters, cover test (S: optometryadvisor study summary)",
            # Same source (S): "success often ≤10 PD residual".
            bands=(Band("≤10 PD residual", D(0), D(10)), Band(">10 PD residual", D("10.01"), None)),
        ),
        Instrument(
            "phq9", "PHQ-9", "points", _items("item", 9, "Item", 3, _PHQ9_QUESTIONS), D(0), D(27), _PHQ_GAD,
            # PHQ-9 bands (V: wikimsk): 0–4 minimal, 5–9 mild, 10–14 moderate, 15–19 moderately
            # severe, 20–27 severe.
            bands=(Band("Minimal", D(0), D(4)), Band("Mild", D(5), D(9)), Band("Moderate", D(10), D(14)),
                   Band("Moderately severe", D(15), D(19)), Band("Severe", D(20), D(27))),
            licence_note="Pfizer ©; 'no permission required' (phqscreeners.com, as quoted by HL7 US Core; U).",
            scorer=_score_phq9,
            self_report=True, stem=_PHQ_STEM, answer_labels=_PHQ_ANSWERS,
        ),
        Instrument(
            "gad7", "GAD-7", "points", _items("item", 7, "Item", 3, _GAD7_QUESTIONS), D(0), D(21),
            "GAD-7, 7 × 0–3 = 0–21 (V: jotform PHQ/GAD form)",
            # GAD-7 bands (V, same source): 0–4 minimal, 5–9 mild, 10–14 moderate, 15–21 severe.
            bands=(Band("Minimal", D(0), D(4)), Band("Mild", D(5), D(9)), Band("Moderate", D(10), D(14)),
                   Band("Severe", D(15), D(21))),
            licence_note="As PHQ-9 (U).", self_report=True, stem=_PHQ_STEM,
            answer_labels=_PHQ_ANSWERS,
        ),
        Instrument(
            "eq5d_vas", "EQ-5D VAS", "points",
            # EQ-5D VAS (licence V: PMC6933437; range U): 0–100, worst to best imaginable health.
            (Item("vas", "Health today (0 worst – 100 best)", D(0), D(100)),), D(0), D(100),
            "EQ-5D VAS, EuroQol (range U)",
            lower_is_better=False, requires_licence=True,
            # Not offered to patients: EuroQol owns the EQ-5D's wording and requires registration
            # (PMC6933437); neither its patient text nor our licence to show it is confirmed, and
            # "Health today (0 worst – 100 best)" is our label, not the instrument's words.
            licence_note="EuroQol owns the IP: registration required, fees for some uses (PMC6933437).",
        ),
    )
}

INSTRUMENT_CHOICES = [(code, instrument.name) for code, instrument in INSTRUMENTS.items()]
QOL_CODES = ("phq9", "gad7", "eq5d_vas")  # every patient, whatever the indication
# Asked before every visit whatever the plan's scales: mood and anxiety are screened for every patient.
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
