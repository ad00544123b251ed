"""Writes of outcome assessments, alerts and pre-visit questionnaires. Each is atomic and
audited in its transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.access import require_clinician
from accounts.roles import is_manager
from accounts.services import patient_self_service_actor
from audit.services import audit_record

from .instruments import INSTRUMENTS, item_answer, patient_questionnaire_codes, score
from .links import QuestionnaireLinkInvalid
from .models import AlertKind, Assessment, AssessmentAlert, QuestionnaireInvitation, ReportedBy
from .selectors import QUESTIONNAIRE_VISIT_STATUSES, questionnaire_is_open

ASSESSMENT_RECORDED = "outcomes.assessment.recorded"
ALERT_RAISED = "outcomes.alert.raised"
ALERT_ACKNOWLEDGED = "outcomes.alert.acknowledged"
QUESTIONNAIRE_INVITED = "outcomes.questionnaire.invited"
QUESTIONNAIRE_SAVED = "outcomes.questionnaire.saved"
QUESTIONNAIRE_COMPLETED = "outcomes.questionnaire.completed"


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
    return _assessment_save(actor=actor, entered_by=actor, patient=patient, instrument=instrument, items=items,
                            taken_on=taken_on, plan=plan, session=session, reported_by=reported_by)


@transaction.atomic
def assessment_record_patient_reported(
    *, invitation: QuestionnaireInvitation, instrument: str, items: Mapping[str, Any],
) -> Assessment:
    """What a patient answered in their pre-visit questionnaire, recorded as ``assessment_record``
    does (same scoring, audit and PHQ-9 alert, which goes to the plan's responsible clinician),
    marked patient-reported, with no staff member as its author: the audit names the
    self-service account that patients' own actions are recorded under."""
    return _assessment_save(
        actor=patient_self_service_actor(), entered_by=None, patient=invitation.patient, instrument=instrument,
        items=items, taken_on=timezone.localdate(), plan=invitation.plan, session=None,
        reported_by=ReportedBy.PATIENT, invitation=invitation,
    )


def _assessment_save(
    *, actor: Any, entered_by: Any, patient, instrument: str, items: Mapping[str, Any], taken_on: dt.date,
    plan, session, reported_by: str, invitation: QuestionnaireInvitation | None = None,
) -> Assessment:
    """The body both recording services share; inside their transaction."""
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
        subscores=result.subscores, reported_by=reported_by, entered_by=entered_by, entered_at=timezone.now(),
        invitation=invitation,
    )
    audit_record(actor=actor, action=ASSESSMENT_RECORDED, patient=patient, target=assessment, changes={
        "instrument": instrument, "taken_on": taken_on, "total": str(result.total), "band": result.band,
        "plan": plan, "session": session, "reported_by": reported_by, "invitation": invitation,
    })
    if result.raises_alert:
        alert = AssessmentAlert.objects.create(
            assessment=assessment, patient=patient, kind=AlertKind.PHQ9_ITEM9, raised_at=timezone.now(),
            clinician=_responsible_clinician(patient=patient, plan=plan, fallback=entered_by or actor),
        )
        audit_record(actor=actor, action=ALERT_RAISED, patient=patient, target=alert,
                     changes={"kind": alert.kind, "clinician": alert.clinician})
    return assessment


@transaction.atomic
def alert_acknowledge(*, actor: Any, alert: AssessmentAlert) -> bool:
    """Mark an open alert acknowledged by its clinician (or a manager). Conditional update, so two
    clicks record one acknowledgement; returns False when it was already acknowledged."""
    require_clinician(actor)
    if alert.clinician_id != actor.pk and not is_manager(actor):
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


# --- Pre-visit questionnaires -------------------------------------------------------------------

@dataclass(frozen=True)
class StepOutcome:
    """What became of a questionnaire step: ``assessment`` once it is recorded (now, or by an
    earlier submission of the same step), and whether that finished the questionnaire."""

    assessment: Assessment | None
    completed: bool


def questionnaire_invitation_for_appointment(*, appointment) -> QuestionnaireInvitation | None:
    """The appointment's questionnaire invitation, made the first time a reminder's link needs
    it; None when the visit has no plan (nothing to ask about) or is no longer to come.

    Idempotent under races: the appointment is unique on the invitation, so of two reminders
    written at once one inserts and the other reads its row (the savepoint keeps the caller's
    transaction usable after the refused insert)."""
    existing = QuestionnaireInvitation.objects.filter(appointment=appointment).first()
    if existing is not None:
        return existing
    if (appointment.plan_id is None or appointment.status not in QUESTIONNAIRE_VISIT_STATUSES
            or appointment.start_at <= timezone.now()):
        return None
    plan = appointment.plan
    now = timezone.now()
    try:
        with transaction.atomic():
            invitation = QuestionnaireInvitation.objects.create(
                appointment=appointment, patient_id=appointment.patient_id, plan=plan,
                instruments=patient_questionnaire_codes(plan.indication.outcome_scales), created_at=now,
                updated_at=now,
            )
            audit_record(actor=None, action=QUESTIONNAIRE_INVITED, patient=appointment.patient, target=invitation,
                         changes={"appointment": appointment, "plan": plan, "instruments": invitation.instruments})
    except IntegrityError:
        return QuestionnaireInvitation.objects.get(appointment=appointment)
    return invitation


def _locked(invitation_id: int) -> QuestionnaireInvitation:
    """The invitation, locked until the transaction ends: two submissions of one questionnaire
    (a double click, two tabs) take turns (PostgreSQL row lock; SQLite's IMMEDIATE transactions
    already take turns)."""
    return QuestionnaireInvitation.objects.select_for_update().select_related("appointment", "patient", "plan").get(
        pk=invitation_id)


def _already_recorded(invitation: QuestionnaireInvitation, instrument: str) -> StepOutcome | None:
    assessment = Assessment.objects.filter(invitation=invitation, instrument=instrument).first()
    return None if assessment is None else StepOutcome(assessment, invitation.completed_at is not None)


def _check_answers(instrument: str, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Each answer on its own (a draft may be partial): a known item, in its range; None clears it."""
    items = {item.code: item for item in INSTRUMENTS[instrument].items}
    clean: dict[str, Any] = {}
    for code, value in answers.items():
        if code not in items:
            raise ValidationError(f"{INSTRUMENTS[instrument].name}: unknown item {code!r}.")
        clean[code] = None if value is None or value == "" else _stored(item_answer(items[code], value))
    return clean


def _step_open(invitation_id: int, instrument: str) -> tuple[QuestionnaireInvitation, StepOutcome | None]:
    """Lock the invitation for one step: (it, the step's outcome if already recorded). Raises
    ``QuestionnaireLinkInvalid`` if the questionnaire is closed, ``ValidationError`` for a step
    this visit does not ask."""
    invitation = _locked(invitation_id)
    if done := _already_recorded(invitation, instrument):
        return invitation, done
    if not questionnaire_is_open(invitation):
        raise QuestionnaireLinkInvalid("closed", gone=True)
    if instrument not in invitation.instruments_asked:
        raise ValidationError("That questionnaire is not one of this visit's.")
    return invitation, None


@transaction.atomic
def questionnaire_draft_save(*, invitation_id: int, instrument: str, answers: Mapping[str, Any]) -> StepOutcome | None:
    """Keep a step's answers so far ({item: value}; None clears one), audited. Returns the step's
    outcome if it was already recorded (a repeated submission: nothing to save); raises
    ``QuestionnaireLinkInvalid`` if the questionnaire is closed."""
    invitation, done = _step_open(invitation_id, instrument)
    if done:
        return done
    step = {**invitation.answers.get(instrument, {}), **_check_answers(instrument, answers)}
    invitation.answers = {**invitation.answers, instrument: {k: v for k, v in step.items() if v is not None}}
    now = timezone.now()
    invitation.started_at = invitation.started_at or now
    invitation.updated_at = now
    invitation.save(update_fields=["answers", "started_at", "updated_at"])
    # The count, not the answers: the trail says who changed what, the answers stay in their row.
    audit_record(actor=patient_self_service_actor(), action=QUESTIONNAIRE_SAVED, patient=invitation.patient,
                 target=invitation, changes={"instrument": instrument, "answered": len(invitation.answers[instrument])})
    return None


@transaction.atomic
def questionnaire_step_submit(*, invitation_id: int, instrument: str) -> StepOutcome:
    """Record a step's saved answers as a patient-reported assessment (scored and validated by
    the instrument, so a missing or out-of-range answer raises ``ValidationError`` and leaves the
    draft as it was). Submitting a recorded step again returns the first outcome and records
    nothing. The last step completes the questionnaire, which closes its link."""
    invitation, done = _step_open(invitation_id, instrument)
    if done:
        return done
    assessment = assessment_record_patient_reported(
        invitation=invitation, instrument=instrument, items=invitation.answers.get(instrument, {}))
    now = timezone.now()
    invitation.answers = {code: step for code, step in invitation.answers.items() if code != instrument}
    recorded = set(Assessment.objects.filter(invitation=invitation).values_list("instrument", flat=True))
    completed = recorded >= set(invitation.instruments_asked)
    invitation.completed_at = now if completed else None
    invitation.updated_at = now
    invitation.save(update_fields=["answers", "completed_at", "updated_at"])
    if completed:
        audit_record(actor=patient_self_service_actor(), action=QUESTIONNAIRE_COMPLETED, patient=invitation.patient,
                     target=invitation, changes={"completed_at": now, "instruments": invitation.instruments})
    return StepOutcome(assessment, completed)
