"""What the session editor shows next to the form: totals, concentrations, wastage with its
JW/JZ consequence, the running cumulative total and the safety findings. One function serves the
first render, a re-render after a failed save and the live-totals endpoint, so they always agree."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from ..dosing import JW, dose_totals, format_units, units_label, units_per_tenth_ml
from ..inputs import SessionInput, SiteInput, VialInput
from ..models import InjectionSession, Muscle, Product, VialLot
from ..safety import SafetyReport, safety_check


def editor_choices(session: InjectionSession, day: dt.date) -> dict[str, list]:
    """The rows the editor's selects offer, each loaded once: active products, muscles, and the
    lots in stock and unexpired on the session's day (plus any already on this session, so that
    the form can show them even once used up; the safety check flags an expired one)."""
    products = list(Product.objects.filter(Q(is_active=True) | Q(pk=session.product_id)))
    lots = list(
        VialLot.objects.select_related("product")
        .filter(Q(quantity_on_hand__gt=0, expiry_date__gte=day) | Q(session_vials__session=session))
        .distinct().order_by("product__brand_name", "expiry_date", "lot_number")
    )
    return {"products": products, "lots": lots, "muscles": list(Muscle.objects.all())}


def saved_input(session: InjectionSession) -> SessionInput:
    """A saved draft as input, to show its panel before anything is edited."""
    return SessionInput(
        performed_at=session.performed_at, product=session.product, patient_weight_kg=session.patient_weight_kg,
        sites=[SiteInput(muscle=s.muscle, side=s.side, units=s.units, points=s.points, guidance=s.guidance)
               for s in session.sites.all()],
        vials=[VialInput(lot=v.lot, vials_opened=v.vials_opened, diluent_ml=v.diluent_ml,
                         reconstituted_at=v.reconstituted_at) for v in session.vials.all()],
    )


def _concentration(vial: VialInput) -> str:
    per_tenth = units_per_tenth_ml(vial_units=vial.lot.vial_units, diluent_ml=vial.diluent_ml)
    if per_tenth is None:
        return f"Lot {vial.lot.lot_number}: {vial.lot.vial_units} U vial, no diluent recorded"
    return (f"Lot {vial.lot.lot_number}: {vial.lot.vial_units} U + {format_units(vial.diluent_ml)} mL"
            f" = {format_units(per_tenth)} U per 0.1 mL")


def _modifier_note(*, product: Product, opened: int, discarded, modifier: str) -> str:
    """CMS discarded-drug policy JW/JZ (V): JW for an amount discarded, JZ when none; never both."""
    code = product.hcpcs_code or "drug line"
    if not opened:
        return "No vials recorded yet."
    if modifier == JW:
        return (f"JW: {units_label(discarded, product)} discarded, billed on a separate {code}-JW line; "
                "the discarded amount is documented in this record.")
    return f"JZ: nothing discarded ({code}-JZ on the drug line)."


def finding_json(finding) -> dict[str, str]:
    return {"code": finding.code, "severity": str(finding.severity), "message": finding.message,
            "source": finding.source}


def editor_panel(*, session: InjectionSession, data: SessionInput, problems: list[str] = ()) -> dict[str, Any]:
    """The panel's figures, JSON-ready, computed by the same dosing and safety code as signing."""
    product = data.product
    totals = dose_totals(sites=data.sites, vials=data.vials)
    report: SafetyReport = safety_check(
        patient=session.patient, plan=session.plan, product=product, performed_at=data.performed_at,
        sites=data.sites, vials=data.vials, patient_weight_kg=data.patient_weight_kg, exclude_session_id=session.pk,
    )
    return {
        "total_label": units_label(totals.given, product),
        "opened_label": units_label(totals.opened, product),
        "discarded_label": units_label(totals.discarded, product),
        "modifier": totals.modifier if totals.opened else "",
        "modifier_note": _modifier_note(product=product, opened=totals.opened, discarded=totals.discarded,
                                        modifier=totals.modifier),
        "cumulative_label": report.cumulative_label
        or f"No cumulative-dose limit is configured for {product.brand_name}.",
        "sites_count": len(data.sites),
        "points": sum(site.points for site in data.sites),
        "concentrations": [_concentration(vial) for vial in data.vials],
        "findings": [finding_json(f) for f in report.findings],
        "blocks_signing": report.blocks_signing,
        "input_problems": list(problems),
    }
