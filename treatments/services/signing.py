"""Signing a session: the safety check runs again under a lock on the patient, hard findings
block, every warning needs a written reason, and the session is then locked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.access import require_signing_clinician
from audit.services import audit_record

from ..dosing import format_units
from ..hooks import SessionSigned, session_signed
from ..models import InjectionSession, SafetyOverride, SessionStatus
from ..safety import SafetyReport, safety_check_session
from .exceptions import OverrideReasonRequired, SigningBlocked
from .plans import plan_next_due_refresh
from .sessions import lock_draft

# A session may be signed a little ahead of its recorded time (clocks, rounding), not a day ahead.
FUTURE_TOLERANCE_MINUTES = 60


def _check_not_ahead(session: InjectionSession, now: dt.datetime) -> None:
    if (session.performed_at - now).total_seconds() > FUTURE_TOLERANCE_MINUTES * 60:
        raise ValidationError({"performed_at": "A session cannot be signed before it takes place."})


def _override_reasons(report: SafetyReport, overrides: Mapping[str, str]) -> dict[str, str]:
    """{warning code: the clinician's reason}; refuses a hard finding or a warning left unexplained."""
    if report.hard:
        raise SigningBlocked(report)
    reasons = {code: (overrides.get(code) or "").strip() for code in report.warning_codes}
    missing = [code for code, reason in reasons.items() if not reason]
    if missing:
        raise OverrideReasonRequired(report, missing)
    return reasons


def _record_overrides(
    *, actor: Any, session: InjectionSession, report: SafetyReport, reasons: dict[str, str], now: dt.datetime
) -> None:
    SafetyOverride.objects.bulk_create([
        SafetyOverride(
            session=session, check_code=finding.code, rule=finding.rule, message=finding.message[:300],
            reason=reasons[finding.code], overridden_by=actor, overridden_at=now,
        )
        for finding in report.warnings
    ])


def _audit_signed(*, actor: Any, session: InjectionSession, report: SafetyReport, reasons: dict[str, str]) -> None:
    audit_record(
        actor=actor, action="treatments.session.signed", patient=session.patient, target=session,
        changes={
            "status": [SessionStatus.DRAFT.value, SessionStatus.SIGNED.value],
            "signed_by": [None, actor.pk],
            "total_units": [None, f"{format_units(report.total_units)} U {report.product.brand_name}"],
            "overrides": [None, [f"{code}: {reason}" for code, reason in reasons.items()]],
        },
    )


@transaction.atomic
def session_sign(*, actor: Any, session: InjectionSession, overrides: Mapping[str, str]) -> SafetyReport:
    """Sign a draft. ``overrides`` maps each warning's code to the clinician's written reason.

    Raises ``SigningBlocked`` when a hard finding remains, ``OverrideReasonRequired`` when a warning
    has no reason, ``SessionLocked`` when already signed; ``PermissionDenied`` for anyone without
    the clinician role. The check runs with the patient row locked, so a concurrent signing for the
    same patient is seen (a check-then-write race otherwise)."""
    require_signing_clinician(actor)
    session = lock_draft(session)
    now = timezone.now()
    _check_not_ahead(session, now)
    report = safety_check_session(session)
    reasons = _override_reasons(report, overrides)
    _record_overrides(actor=actor, session=session, report=report, reasons=reasons, now=now)
    session.status, session.signed_at, session.signed_by = SessionStatus.SIGNED, now, actor
    session.save(update_fields=["status", "signed_at", "signed_by", "updated_at"])
    _audit_signed(actor=actor, session=session, report=report, reasons=reasons)
    plan_next_due_refresh(plan=session.plan)  # the recall board's stored due date moves on
    # The appointment is completed and the next cycle's reminders start (handlers in scheduling
    # and reminders, in this transaction).
    session_signed.send(SessionSigned(actor=actor, session=session))
    return report
