"""Injection sessions: start a draft from the plan's template, save it (sites, vials, stock),
and add addenda once it is signed."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.access import require_clinician
from audit.services import audit_record, changes_between, field_values
from clinic.clock import local_date
from clinic.formats import clinic_date
from patients.models import Patient

from ..dosing import format_units, total_units, units_exceed_opened, units_label, units_opened
from ..inputs import SessionInput
from ..models import (
    Guidance,
    InjectionSession,
    InjectionSite,
    PlanSide,
    PlanStatus,
    SessionAddendum,
    SessionVial,
    Side,
    TreatmentPlan,
    VialLot,
)
from ..safety import SafetyReport, safety_check
from .exceptions import SessionLocked

SESSION_FIELDS = ("performed_at", "product", "patient_weight_kg", "adverse_events", "notes")


def lock_patient(patient_id: int) -> None:
    """Serialize every dose-changing write for one patient, so that two sessions saved or signed
    at once cannot each see the other's units as absent and both pass the cumulative limit.
    (On SQLite the IMMEDIATE transaction mode already serializes all writers.)"""
    Patient.objects.select_for_update().filter(pk=patient_id).values_list("pk", flat=True).get()


def lock_session(session: InjectionSession) -> InjectionSession:
    return InjectionSession.objects.select_for_update().select_related("plan", "patient").get(pk=session.pk)


def lock_draft(session: InjectionSession) -> InjectionSession:
    """The session re-read under the patient's lock and its own; ``SessionLocked`` once signed."""
    lock_patient(session.patient_id)
    session = lock_session(session)
    if session.is_signed:
        raise SessionLocked()
    return session


# --- Start -------------------------------------------------------------------------------------

def _template_sides(plan: TreatmentPlan, template_side: str, one_sided: bool) -> list[str]:
    """A one-sided muscle list (limbs) takes the plan's side, or both for a bilateral plan;
    a template that names its own sides (PREEMPT, blepharospasm) keeps them."""
    if not one_sided or template_side == Side.MIDLINE:
        return [template_side]
    if plan.side == PlanSide.BILATERAL:
        return [Side.LEFT, Side.RIGHT]
    if plan.side in (PlanSide.LEFT, PlanSide.RIGHT):
        return [plan.side]
    return [template_side]


def _sites_from_template(plan: TreatmentPlan, session: InjectionSession) -> list[InjectionSite]:
    if plan.protocol_template_id is None:
        return []
    template_sites = list(plan.protocol_template.sites.select_related("muscle").order_by("order", "id"))
    one_sided = len({s.side for s in template_sites if s.side != Side.MIDLINE}) == 1
    sites = []
    for site in template_sites:
        for side in _template_sides(plan, site.side, one_sided):
            sites.append(InjectionSite(
                session=session, muscle=site.muscle, side=side, units=site.units, points=site.points,
                guidance=Guidance.ANATOMICAL, order=len(sites),
            ))
    return sites


@transaction.atomic
def session_start(*, actor: Any, plan: TreatmentPlan, performed_at: dt.datetime | None = None) -> InjectionSession:
    """A draft session for ``plan``: the actor as clinician, the plan's product, and sites copied
    from the plan's protocol template (a muscle list leaves doses blank for the clinician).
    The weight is left blank: a pediatric dose needs today's weight, not one copied from before."""
    require_clinician(actor)
    plan = TreatmentPlan.objects.select_related("protocol_template", "product").get(pk=plan.pk)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError(f"This plan is {plan.get_status_display().lower()}; resume it to start a session.")
    session = InjectionSession.objects.create(
        plan=plan, patient_id=plan.patient_id, performed_at=performed_at or timezone.now(), clinician=actor,
        product=plan.product, created_by=actor,
    )
    sites = InjectionSite.objects.bulk_create(_sites_from_template(plan, session))
    audit_record(
        actor=actor, action="treatments.session.started", patient=plan.patient, target=session,
        changes={**changes_between({}, field_values(session, ("plan", *SESSION_FIELDS))),
                 "sites": [None, _sites_snapshot(sites, plan.product)]},
    )
    return session


# --- Save --------------------------------------------------------------------------------------

def _sites_snapshot(sites, product) -> list[str]:
    return [
        f"{site.muscle.name} {site.side} {units_label(site.units, product)} ×{site.points} ({site.guidance})"
        for site in sites
    ]


def _vials_snapshot(vials) -> list[str]:
    return [
        f"lot {vial.lot.lot_number} ({vial.lot.vial_units} U) ×{vial.vials_opened}, "
        f"{format_units(vial.diluent_ml) if vial.diluent_ml else 'no'} mL diluent, "
        f"reconstituted {_utc(vial.reconstituted_at)}"
        for vial in vials
    ]


def _utc(moment: dt.datetime) -> str:
    """One spelling per instant, so that the same time read back from the database is no change."""
    return moment.astimezone(dt.UTC).isoformat()


def _snapshot(session: InjectionSession, sites, vials) -> dict[str, Any]:
    return {
        **field_values(session, SESSION_FIELDS),
        "performed_at": _utc(session.performed_at),
        "sites": _sites_snapshot(sites, session.product),
        "vials": _vials_snapshot(vials),
    }


def _site_errors(data: SessionInput) -> list[str]:
    errors = []
    for number, site in enumerate(data.sites, start=1):
        if site.units is not None and site.units <= 0:
            errors.append(f"Site {number}: the dose must be more than 0 U.")
        if site.points < 1:
            errors.append(f"Site {number}: at least one injection point.")
        if site.side not in Side.values or site.guidance not in Guidance.values:
            errors.append(f"Site {number}: pick a side and a guidance.")
    given, opened = total_units(data.sites), units_opened(data.vials)
    if data.vials and units_exceed_opened(opened=opened, given=given):
        errors.append(f"{units_label(given, data.product)} given but the vials hold only "
                      f"{units_label(opened, data.product)}: record the vials opened.")
    return errors


def _vial_errors(data: SessionInput) -> list[str]:
    errors = []
    lots = Counter(vial.lot.pk for vial in data.vials)
    for number, vial in enumerate(data.vials, start=1):
        if lots[vial.lot.pk] > 1:
            errors.append(f"Lot {vial.lot.lot_number} is listed twice: record its vials on one row.")
        if vial.vials_opened < 1:
            errors.append(f"Row {number}: at least one vial.")
        if vial.diluent_ml is not None and vial.diluent_ml < Decimal("0.1"):
            errors.append(f"Row {number}: diluent of at least 0.1 mL.")
        if vial.reconstituted_at is None or timezone.is_naive(vial.reconstituted_at):
            errors.append(f"Row {number}: enter when the vials were reconstituted.")
        if data.performed_at is not None and vial.lot.is_expired_on(local_date(data.performed_at)):
            expired_on = clinic_date(vial.lot.expiry_date)
            errors.append(f"Lot {vial.lot.lot_number} expired on {expired_on}: it cannot be used.")
    return errors


def _validate_input(data: SessionInput) -> None:
    """Reject what cannot be saved even as a draft. Clinical limits are the safety check's job."""
    errors = {
        "performed_at": (["Enter the date and time of the session."]
                         if data.performed_at is None or timezone.is_naive(data.performed_at) else []),
        "sites": _site_errors(data),
        "vials": _vial_errors(data),
        "patient_weight_kg": (["Enter the weight in kg."]
                              if data.patient_weight_kg is not None and data.patient_weight_kg < Decimal("0.5")
                              else []),
    }
    if any(errors.values()):
        raise ValidationError({field: messages for field, messages in errors.items() if messages})


def _adjust_stock(old: dict[int, int], new: dict[int, int]) -> dict[str, list[int]]:
    """Take out (or put back) the difference in vials per lot. Lots are locked in id order so that
    two sessions drawing on the same lots cannot deadlock; stock never goes below zero."""
    lot_ids = sorted({lot_id for lot_id in old.keys() | new.keys() if old.get(lot_id, 0) != new.get(lot_id, 0)})
    changes: dict[str, list[int]] = {}
    errors = []
    for lot in VialLot.objects.select_for_update().filter(pk__in=lot_ids).order_by("pk"):
        after = lot.quantity_on_hand - (new.get(lot.pk, 0) - old.get(lot.pk, 0))
        if after < 0:
            errors.append(f"Not enough stock: lot {lot.lot_number} has {lot.quantity_on_hand} vial(s) on hand.")
            continue
        changes[f"lot {lot.lot_number} on hand"] = [lot.quantity_on_hand, after]
        lot.quantity_on_hand = after
        lot.save(update_fields=["quantity_on_hand"])
    if errors:
        raise ValidationError({"vials": errors})
    return changes


def _replace_sites_and_vials(session: InjectionSession, data: SessionInput) -> tuple[list, list]:
    session.sites.all().delete()
    session.vials.all().delete()
    sites = InjectionSite.objects.bulk_create([
        InjectionSite(session=session, muscle=s.muscle, side=s.side, units=s.units, points=s.points,
                      guidance=s.guidance, order=order)
        for order, s in enumerate(data.sites)
    ])
    vials = SessionVial.objects.bulk_create([
        SessionVial(session=session, lot=v.lot, vials_opened=v.vials_opened, diluent_ml=v.diluent_ml,
                    reconstituted_at=v.reconstituted_at)
        for v in data.vials
    ])
    return sites, vials


def _safety_report(session: InjectionSession, data: SessionInput) -> SafetyReport:
    return safety_check(
        patient=session.patient, plan=session.plan, product=data.product, performed_at=data.performed_at,
        sites=data.sites, vials=data.vials, patient_weight_kg=data.patient_weight_kg,
        exclude_session_id=session.pk,
    )


@transaction.atomic
def session_save(*, actor: Any, session: InjectionSession, data: SessionInput) -> SafetyReport:
    """Replace a draft's details, sites and vials with ``data`` and adjust lot stock by the
    difference. Returns the safety report for the saved state (warnings do not block saving;
    hard findings block signing). A signed session is locked."""
    require_clinician(actor)
    session = lock_draft(session)
    _validate_input(data)
    old_sites = list(session.sites.select_related("muscle"))
    old_vials = list(session.vials.select_related("lot"))
    before = _snapshot(session, old_sites, old_vials)
    stock_changes = _adjust_stock(
        old={v.lot_id: v.vials_opened for v in old_vials}, new={v.lot.pk: v.vials_opened for v in data.vials},
    )
    for name in SESSION_FIELDS:
        setattr(session, name, getattr(data, name))
    session.full_clean(exclude=["plan", "patient", "clinician", "created_by", "signed_by"])
    session.save()
    sites, vials = _replace_sites_and_vials(session, data)
    changes = {**changes_between(before, _snapshot(session, sites, vials)), **stock_changes}
    if changes:
        audit_record(actor=actor, action="treatments.session.updated", patient=session.patient, target=session,
                     changes=changes)
    return _safety_report(session, data)


@transaction.atomic
def session_discard(*, actor: Any, session: InjectionSession) -> None:
    """Delete an abandoned draft and put its vials back in stock. Signed sessions are never deleted.
    The audit entry keeps what the draft held."""
    require_clinician(actor)
    session = lock_draft(session)
    sites, vials = list(session.sites.select_related("muscle")), list(session.vials.select_related("lot"))
    before = _snapshot(session, sites, vials)
    stock_changes = _adjust_stock(old={v.lot_id: v.vials_opened for v in vials}, new={})
    audit_record(actor=actor, action="treatments.session.discarded", patient=session.patient, target=session,
                 changes={**changes_between(before, {}), **stock_changes})
    session.delete()


# --- Addenda -----------------------------------------------------------------------------------

@transaction.atomic
def session_addendum_add(*, actor: Any, session: InjectionSession, text: str) -> SessionAddendum:
    """Correct or add to a signed session; the signed original is left exactly as it was."""
    require_clinician(actor)
    session = lock_session(session)
    if not session.is_signed:
        raise ValidationError("Addenda are for signed sessions; edit the draft instead.")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write the addendum."})
    addendum = SessionAddendum.objects.create(session=session, author=actor, written_at=timezone.now(), text=text)
    audit_record(
        actor=actor, action="treatments.session.addendum_added", patient=session.patient, target=session,
        changes={"addendum": [None, text], "addendum_id": [None, addendum.pk]},
    )
    return addendum

