"""The claim lines a signed session supports: diagnosis, procedure codes, guidance add-ons and the
drug with its JW/JZ discarded-amount line (CPT, HCPCS, CMS discarded-drug policy). A summary for the biller to check,
not a claim: unverified (U) codes are shown as notes, never billed automatically."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from clinic.clock import local_date
from clinic.spreadsheets import safe_cell

from .dosing import JW, JZ, format_units, total_units, units_label, units_opened
from .models import BodyRegion, Confidence, Guidance, InjectionSession, Side
from .selectors import SessionParts, sessions_with_parts

# CPT limb chemodenervation by extremity and muscle count (V: AMA descriptors on coding sites):
LIMB_FIRST_1_TO_4, LIMB_ADDITIONAL_1_TO_4 = "64642", "64643"
LIMB_FIRST_5_OR_MORE, LIMB_ADDITIONAL_5_OR_MORE = "64644", "64645"
LIMB_MUSCLES_FOR_LARGER_CODE = 5  # "≥5 muscles" (V)
# CPT guidance add-ons, reported once per session (V: coding sites; LCD A57474):
ESTIM_GUIDANCE, EMG_GUIDANCE = "95873", "95874"
# Blepharospasm: 64612 is unilateral with MUE 1 (FCSO), so both eyes → modifier 50 (V).
BILATERAL_MODIFIER = "50"
BLEPHAROSPASM_CODE = "64612"
NECK_UNILATERAL_CODE = "64616"
# FCSO: Medicare hospital-outpatient prior authorization since 1 Jul 2020 when
# J0585–J0588 are billed with 64612 or 64615 (V).
PRIOR_AUTH_PROCEDURES = {"64612", "64615"}
PRIOR_AUTH_DRUGS = {"J0585", "J0586", "J0587", "J0588"}

DESCRIPTIONS = {
    "64612": "Chemodenervation, muscles innervated by facial nerve, unilateral",
    "64615": "Chemodenervation, facial, trigeminal, cervical spinal and accessory nerves, bilateral",
    "64616": "Chemodenervation, neck muscle(s), excluding larynx, unilateral",
    "64642": "Chemodenervation, one extremity, 1–4 muscles",
    "64643": "Chemodenervation, each additional extremity, 1–4 muscles",
    "64644": "Chemodenervation, one extremity, 5 or more muscles",
    "64645": "Chemodenervation, each additional extremity, 5 or more muscles",
    "67345": "Chemodenervation of extraocular muscle",
    "95873": "Electrical stimulation for guidance with chemodenervation",
    "95874": "Needle electromyography for guidance with chemodenervation",
}


@dataclass(frozen=True)
class BillingLine:
    code: str
    units: Decimal | int
    modifiers: tuple[str, ...] = ()
    description: str = ""

    @property
    def code_with_modifiers(self) -> str:
        return "-".join((self.code, *self.modifiers))


@dataclass
class BillingSummary:
    session: InjectionSession
    diagnosis_code: str
    diagnosis_description: str
    procedure_lines: list[BillingLine] = field(default_factory=list)
    drug_lines: list[BillingLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[BillingLine]:
        return self.procedure_lines + self.drug_lines


def billing_summary(session: InjectionSession) -> BillingSummary:
    """The billing summary of a SIGNED session (prefetch sites__muscle and vials__lot for lists)."""
    return _summary(session, list(session.sites.all()), list(session.vials.all()))


def _summary(session: InjectionSession, sites: list, vials: list) -> BillingSummary:
    if not session.is_signed:
        raise ValidationError("Only a signed session has a billing summary.")
    diagnosis = session.plan.diagnosis_code
    summary = BillingSummary(session=session, diagnosis_code=diagnosis.code,
                             diagnosis_description=diagnosis.description)
    if not diagnosis.is_billable:
        summary.notes.append(f"{diagnosis.code} is not a billable code: pick a more specific code on the plan.")
    elif diagnosis.confidence == Confidence.UNVERIFIED:
        summary.notes.append(f"{diagnosis.code} is unverified in our reference (U): confirm it before billing.")
    _procedure_lines(summary, session, sites)
    _guidance_lines(summary, sites)
    _drug_lines(summary, session, sites, vials)
    _prior_auth_note(summary)
    return summary


def _procedure_lines(summary: BillingSummary, session: InjectionSession, sites: list) -> None:
    indication = session.plan.indication
    if indication.bills_by_limb:
        summary.procedure_lines += limb_lines(sites)
        if any(site.muscle.region == BodyRegion.TRUNK for site in sites):
            # Trunk codes 64646/64647 are S and their muscle counts U: never billed automatically.
            summary.notes.append("Trunk muscles injected: 64646 (1–5) / 64647 (≥6) muscle counts are unverified "
                                 "(U); code trunk chemodenervation manually.")
        return
    sides = {site.side for site in sites}
    bilateral = {Side.LEFT, Side.RIGHT} <= sides
    for code in indication.cpt_codes:
        modifiers: tuple[str, ...] = ()
        if code == BLEPHAROSPASM_CODE and bilateral:
            modifiers = (BILATERAL_MODIFIER,)
        if code == NECK_UNILATERAL_CODE and bilateral:
            summary.notes.append("64616 is unilateral and both sides were injected: how to report bilateral "
                                 "neck chemodenervation is not in our reference (U); check the payer.")
        summary.procedure_lines.append(BillingLine(code, 1, modifiers, DESCRIPTIONS.get(code, "")))


def limb_lines(sites: Iterable) -> list[BillingLine]:
    """64642/64644 once for the first extremity, 64643/64645 for each additional one. An
    extremity is a limb on one side; the extremity with the most muscles is reported first, so
    a ≥5-muscle limb takes the primary 64644 (CPT descriptors, V)."""
    muscles: dict[tuple[str, str], set[int]] = {}
    for site in sites:
        if site.muscle.region in (BodyRegion.UPPER_LIMB, BodyRegion.LOWER_LIMB):
            muscles.setdefault((site.muscle.region, site.side), set()).add(site.muscle.pk)
    lines = []
    for index, ((region, side), ids) in enumerate(sorted(muscles.items(), key=lambda item: -len(item[1]))):
        large = len(ids) >= LIMB_MUSCLES_FOR_LARGER_CODE
        if index == 0:
            code = LIMB_FIRST_5_OR_MORE if large else LIMB_FIRST_1_TO_4
        else:
            code = LIMB_ADDITIONAL_5_OR_MORE if large else LIMB_ADDITIONAL_1_TO_4
        label = f"{DESCRIPTIONS[code]} ({side} {region.replace('_', ' ')}, {len(ids)} muscles)"
        lines.append(BillingLine(code, 1, (), label))
    return lines


def _guidance_lines(summary: BillingSummary, sites: list) -> None:
    used = {site.guidance for site in sites}
    for guidance, code in ((Guidance.ESTIM, ESTIM_GUIDANCE), (Guidance.EMG, EMG_GUIDANCE)):
        if guidance in used:
            summary.procedure_lines.append(BillingLine(code, 1, (), DESCRIPTIONS[code]))
    if Guidance.ULTRASOUND in used:
        summary.notes.append("Ultrasound guidance used: whether 76942 is separately payable with "
                             "chemodenervation is unverified (U); check NCCI. Not billed automatically.")
    if {Guidance.EMG, Guidance.ESTIM} <= used:
        summary.notes.append("Both 95873 and 95874 listed: whether they may be reported together is not in "
                             "our reference; check NCCI.")


def drug_billing_units(*, units: Decimal, units_per_billing_unit: int) -> int:
    """Units given ÷ units per billing unit, rounded UP to a whole billing unit when the dose falls
    between two (e.g. 152 U Dysport ÷ 5 = 30.4 → 31). Rounding up is the usual MAC drug-billing
    instruction; no source we hold states it (U), so the summary says when it happened."""
    return math.ceil(Decimal(units) / units_per_billing_unit)


def _drug_lines(summary: BillingSummary, session: InjectionSession, sites: list, vials: list) -> None:
    product = session.product
    if not product.hcpcs_code:
        summary.notes.append(f"{product.brand_name} has no HCPCS code: the drug is not billable.")
        return
    per = product.units_per_billing_unit
    given, opened = total_units(sites), units_opened(vials)
    given_billing = drug_billing_units(units=given, units_per_billing_unit=per)
    # Discarded = the rest of the opened vials, so administered + discarded = the vials' billing units.
    discarded_billing = max(opened // per - given_billing, 0)
    if Decimal(given) % per:
        summary.notes.append(f"{units_label(given, product)} is not a whole number of {product.hcpcs_code} billing "
                             f"units ({per} U each): rounded up to {given_billing} (rounding rule U; confirm).")
    description = f"{product.generic_name} ({product.brand_name}), {per} U per billing unit"
    if discarded_billing:
        summary.drug_lines.append(BillingLine(product.hcpcs_code, given_billing, (), description))
        summary.drug_lines.append(BillingLine(
            product.hcpcs_code, discarded_billing, (JW,),
            f"Discarded: {format_units(Decimal(opened) - given)} U {product.brand_name} not administered",
        ))
    else:
        summary.drug_lines.append(BillingLine(product.hcpcs_code, given_billing, (JZ,),
                                              f"{description}; zero discarded"))


def _prior_auth_note(summary: BillingSummary) -> None:
    procedures = {line.code for line in summary.procedure_lines}
    drugs = {line.code for line in summary.drug_lines}
    if procedures & PRIOR_AUTH_PROCEDURES and drugs & PRIOR_AUTH_DRUGS:
        summary.notes.append("Medicare hospital outpatient: prior authorization is required for this drug with "
                             f"{', '.join(sorted(procedures & PRIOR_AUTH_PROCEDURES))} (since 1 Jul 2020).")


CSV_HEADER = ["session_id", "date_of_service", "mrn", "icd10", "code", "modifiers", "units", "description"]


def billing_csv_rows(sessions: Iterable[SessionParts]) -> Iterator[list[str]]:
    """The header, then one row per claim line of each signed session (drafts are skipped).
    Identifies the patient by MRN only: the minimum a biller needs. A generator, so a download
    streams (``sessions_with_parts``) and holds one chunk of sessions at a time."""
    yield CSV_HEADER
    for parts in sessions:
        session = parts.session
        if not session.is_signed:
            continue
        summary = _summary(session, parts.sites, parts.vials)
        for line in summary.lines:
            yield [safe_cell(v) for v in (
                session.pk, local_date(session.performed_at).isoformat(), session.patient.mrn,
                summary.diagnosis_code, line.code, "-".join(line.modifiers), format_units(line.units),
                line.description,
            )]


def billing_csv(sessions: QuerySet[InjectionSession] | Iterable[InjectionSession]) -> str:
    """``billing_csv_rows`` as one string, oldest session first for a QuerySet (one session's
    file, and tests)."""
    if isinstance(sessions, QuerySet):
        parts: Iterable[SessionParts] = sessions_with_parts(sessions)
    else:
        parts = (SessionParts(s, list(s.sites.all()), list(s.vials.all())) for s in sessions)
    out = io.StringIO()
    csv.writer(out).writerows(billing_csv_rows(parts))
    return out.getvalue()
