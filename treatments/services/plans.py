"""Treatment plans: create, change, pause / end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.access import require_clinician
from audit.services import audit_record, changes_between, field_values
from clinic.clock import local_date

from ..hooks import PlanStatusChanged, plan_status_changed
from ..models import PlanStatus, ProtocolTemplate, SessionStatus, TreatmentPlan

# Fields a plan form may set; also what the audit diff covers.
PLAN_FIELDS = (
    "indication", "diagnosis_code", "side", "product", "responsible_clinician", "cycle_weeks",
    "minimum_interval_weeks", "protocol_template", "status", "start_date", "notes",
)


def default_protocol_template(*, indication, product) -> ProtocolTemplate | None:
    """The indication's template in this product's units, else its muscle list (no doses)."""
    templates = ProtocolTemplate.objects.filter(indication=indication, is_active=True)
    return templates.filter(product=product).first() or templates.filter(product__isnull=True).first()


def _validate(plan: TreatmentPlan) -> None:
    errors: dict[str, str] = {}
    if plan.diagnosis_code_id and plan.diagnosis_code.indication_id != plan.indication_id:
        errors["diagnosis_code"] = "Pick a diagnosis code listed for this indication."
    template = plan.protocol_template
    if template is not None:
        if template.indication_id != plan.indication_id:
            errors["protocol_template"] = "This protocol template belongs to another indication."
        elif template.product_id and template.product_id != plan.product_id:
            # Every toxin label: units are not interchangeable, never converted between products.
            errors["protocol_template"] = (
                f"This template's doses are in {template.product.brand_name} units; the plan uses "
                f"{plan.product.brand_name}. Units are not interchangeable."
            )
    if errors:
        raise ValidationError(errors)
    plan.full_clean()


@transaction.atomic
def plan_create(*, actor: Any, patient, data: Mapping[str, Any]) -> TreatmentPlan:
    """Start a plan. Cycle, minimum interval and protocol template default from the indication;
    the responsible clinician defaults to the actor."""
    require_clinician(actor)
    values = {name: data[name] for name in PLAN_FIELDS if data.get(name) not in (None, "")}
    indication, product = values.get("indication"), values.get("product")
    if indication is None or product is None:
        raise ValidationError({k: "This field is required." for k in ("indication", "product") if k not in values})
    values.setdefault("cycle_weeks", indication.default_cycle_weeks)
    values.setdefault("minimum_interval_weeks", indication.minimum_interval_weeks)
    values.setdefault("responsible_clinician", actor)
    values.setdefault("start_date", timezone.localdate())
    values.setdefault("status", PlanStatus.ACTIVE)
    if "protocol_template" not in data:
        values["protocol_template"] = default_protocol_template(indication=indication, product=product)
    plan = TreatmentPlan(patient=patient, **values)
    _validate(plan)
    plan.save()
    plan_next_due_refresh(plan=plan)
    audit_record(
        actor=actor, action="treatments.plan.created", patient=patient, target=plan,
        changes=changes_between({}, field_values(plan, PLAN_FIELDS)),
    )
    return plan


@transaction.atomic
def plan_update(*, actor: Any, plan: TreatmentPlan, data: Mapping[str, Any]) -> TreatmentPlan:
    """Change a plan; the audit entry holds each changed field before and after."""
    require_clinician(actor)
    plan = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
    before = field_values(plan, PLAN_FIELDS)
    for name in PLAN_FIELDS:
        if name in data:
            setattr(plan, name, data[name])
    _validate(plan)
    changes = changes_between(before, field_values(plan, PLAN_FIELDS))
    if changes:
        plan.save()
        if {"cycle_weeks", "start_date"} & changes.keys():
            plan_next_due_refresh(plan=plan)
        audit_record(actor=actor, action="treatments.plan.updated", patient=plan.patient, target=plan,
                     changes=changes)
    return plan


def next_due_date(*, last_signed_at: dt.datetime | None, cycle_weeks: int, start_date: dt.date) -> dt.date:
    """The last signed session's clinic date plus the cycle, or the start date before any session:
    the rule ``treatments.selectors.plans_with_next_due`` writes in SQL."""
    if last_signed_at is None:
        return start_date
    return local_date(last_signed_at) + dt.timedelta(weeks=cycle_weeks)


def plan_next_due_refresh(*, plan: TreatmentPlan) -> None:
    """Store the plan's last signed session time and next due date on its row (the recall board
    filters and sorts on them, indexed). Called, inside the caller's transaction, wherever they
    can change: a session signed, the plan's cycle or start date edited. Two queries."""
    last = plan.sessions.filter(status=SessionStatus.SIGNED).order_by("-performed_at").values_list(
        "performed_at", flat=True).first()
    plan.last_signed_session_at = last
    plan.next_due_on = next_due_date(last_signed_at=last, cycle_weeks=plan.cycle_weeks, start_date=plan.start_date)
    TreatmentPlan.objects.filter(pk=plan.pk).update(
        last_signed_session_at=plan.last_signed_session_at, next_due_on=plan.next_due_on)


@transaction.atomic
def plan_set_status(*, actor: Any, plan: TreatmentPlan, status: PlanStatus | str) -> TreatmentPlan:
    """Pause, resume or end a plan."""
    require_clinician(actor)
    if status not in PlanStatus.values:
        raise ValidationError({"status": f"Unknown status {status!r}."})
    plan = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == status:
        return plan
    before, plan.status = plan.status, status
    plan.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="treatments.plan.status_changed", patient=plan.patient, target=plan,
                 changes={"status": [before, str(status)]})
    plan_status_changed.send(PlanStatusChanged(plan_id=plan.pk, status=PlanStatus(status)))
    return plan
