"""Signing a session: the safety check runs again under a lock on the patient, hard findings
block, every warning needs a written reason, and the session is then locked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record

from ..dosing import format_units
from ..models import InjectionSession, SafetyOverride, SessionStatus
from ..safety import SafetyReport, safety_check_session
from .access import require_signing_clinician
from .exceptions import OverrideReasonRequired, SessionLocked, SigningBlocked
from .plans import plan_next_due_refresh
from .sessions import lock_patient, lock_session

# A session may be signed a little ahead of its recorded time (clocks, rounding), not a day ahead.
FUTURE_TOLERANCE_MINUTES = 60


@transaction.atomic
def session_sign(*, actor: Any, session: InjectionSession, overrides: Mapping[str, str]) -> SafetyReport:
    """Sign a draft. ``overrides`` maps each warning's code to the clinician's written reason.

    Raises ``SigningBlocked`` when a hard finding remains, ``OverrideReasonRequired`` when a warning
    has no reason, ``SessionLocked`` when already signed; ``PermissionDenied`` for anyone without
    the clinician role. The check runs with the patient row locked, so a concurrent signing for the
    same patient is seen (RELIABILITY.md: check-then-write races)."""
    require_signing_clinician(actor)
    lock_patient(session.patient_id)
    session = lock_session(session)
    if session.is_signed:
        raise SessionLocked()
    now = timezone.now()
    if (session.performed_at - now).total_seconds() > FUTURE_TOLERANCE_MINUTES * 60:
        raise ValidationError({"performed_at": "A session cannot be signed before it takes place."})
    report = safety_check_session(session)
    if report.hard:
        raise SigningBlocked(report)
    reasons = {code: (overrides.get(code) or "").strip() for code in report.warning_codes}
    missing = [code for code, reason in reasons.items() if not reason]
    if missing:
        raise OverrideReasonRequired(report, missing)
    SafetyOverride.objects.bulk_create([
        SafetyOverride(
            session=session, check_code=finding.code, rule=finding.rule, message=finding.message[:300],
            reason=reasons[finding.code], overridden_by=actor, overridden_at=now,
        )
        for finding in report.warnings
    ])
    session.status, session.signed_at, session.signed_by = SessionStatus.SIGNED, now, actor
    session.save(update_fields=["status", "signed_at", "signed_by", "updated_at"])
    audit_record(
        actor=actor, action="treatments.session.signed", patient=session.patient, target=session,
        changes={
            "status": [SessionStatus.DRAFT.value, SessionStatus.SIGNED.value],
            "signed_by": [None, actor.pk],
            "total_units": [None, f"{format_units(report.total_units)} U {report.product.brand_name}"],
            "overrides": [None, [f"{code}: {reason}" for code, reason in reasons.items()]],
        },
    )
    plan_next_due_refresh(plan=session.plan)  # the recall board's stored due date moves on
    # Imported here because scheduling builds on treatments (its appointments link to sessions).
    from scheduling.services import appointment_complete_for_session

    appointment_complete_for_session(actor=actor, session=session)
    from reminders.services import reminders_for_plan_sync  # reminders builds on treatments: avoid a cycle

    reminders_for_plan_sync(plan_id=session.plan_id)  # the next cycle starts: the old cycle's reminders stop
    return report
