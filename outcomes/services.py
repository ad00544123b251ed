"""Writes of outcome assessments and alerts. Each is atomic and audited in its transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.roles import has_role
from audit.services import audit_record
from treatments.services.access import require_clinician

from .instruments import score
from .models import AlertKind, Assessment, AssessmentAlert, ReportedBy

ASSESSMENT_RECORDED = "outcomes.assessment.recorded"
ALERT_RAISED = "outcomes.alert.raised"
ALERT_ACKNOWLEDGED = "outcomes.alert.acknowledged"


def _stored(value: Any) -> Any:
    """Items as JSON: whole numbers as int, other decimals as strings (exact), grades as given."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    return value


def _responsible_clinician(*, patient, plan, fallback):
    if plan is not None:
        return plan.responsible_clinician
    latest = patient.treatment_plans.filter(status="active").order_by("-start_date", "-pk").first()
    return latest.responsible_clinician if latest is not None else fallback


@transaction.atomic
def assessment_record(
    *, actor: Any, patient, instrument: str, items: Mapping[str, Any], taken_on: dt.date,
    plan=None, session=None, reported_by: str = ReportedBy.CLINICIAN,
) -> Assessment:
    """Score ``items`` (never a client's total), save the assessment and audit it. A PHQ-9 with
    item 9 above zero also raises an alert for the responsible clinician (the plan's, else the
    patient's latest active plan's, else whoever entered it)."""
    require_clinician(actor)
    if session is not None:
        plan = plan or session.plan
        if session.plan_id != plan.pk:
            raise ValidationError({"session": "That session belongs to another plan."})
    if plan is not None and plan.patient_id != patient.pk:
        raise ValidationError({"plan": "That plan belongs to another patient."})
    if taken_on > timezone.localdate():
        raise ValidationError({"taken_on": "An assessment cannot be dated in the future."})
    clean, result = score(instrument, items)
    assessment = Assessment.objects.create(
        patient=patient, plan=plan, session=session, instrument=instrument, taken_on=taken_on,
        items={key: _stored(value) for key, value in clean.items()}, total=result.total, band=result.band,
        subscores=result.subscores, reported_by=reported_by, entered_by=actor, entered_at=timezone.now(),
    )
    audit_record(actor=actor, action=ASSESSMENT_RECORDED, patient=patient, target=assessment, changes={
        "instrument": instrument, "taken_on": taken_on, "total": str(result.total), "band": result.band,
        "plan": plan, "session": session, "reported_by": reported_by,
    })
    if result.raises_alert:
        alert = AssessmentAlert.objects.create(
            assessment=assessment, patient=patient, kind=AlertKind.PHQ9_ITEM9, raised_at=timezone.now(),
            clinician=_responsible_clinician(patient=patient, plan=plan, fallback=actor),
        )
        audit_record(actor=actor, action=ALERT_RAISED, patient=patient, target=alert,
                     changes={"kind": alert.kind, "clinician": alert.clinician})
    return assessment


@transaction.atomic
def alert_acknowledge(*, actor: Any, alert: AssessmentAlert) -> bool:
    """Mark an open alert acknowledged by its clinician (or a manager). Conditional update, so two
    clicks record one acknowledgement; returns False when it was already acknowledged."""
    require_clinician(actor)
    if alert.clinician_id != actor.pk and not has_role(actor, []):
        raise PermissionDenied("Only the responsible clinician or a manager may acknowledge this alert.")
    now = timezone.now()
    changed = AssessmentAlert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=now, acknowledged_by=actor
    )
    if not changed:
        return False
    alert.acknowledged_at, alert.acknowledged_by = now, actor
    audit_record(actor=actor, action=ALERT_ACKNOWLEDGED, patient=alert.patient, target=alert,
                 changes={"acknowledged_at": now})
    return True
