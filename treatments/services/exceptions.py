"""Domain errors the session form turns into messages. ``SessionLocked`` is a ValidationError, so
``clinic.forms.add_service_errors`` shows it like any other service error."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from ..safety import SafetyReport


class SessionLocked(ValidationError):
    """A signed session is locked: corrections are addenda."""

    def __init__(self) -> None:
        super().__init__("This session is signed and locked; add an addendum to correct it.", code="locked")


class SigningBlocked(Exception):
    """A hard safety finding blocks signing. ``report`` lists them."""

    def __init__(self, report: SafetyReport) -> None:
        self.report = report
        super().__init__("Signing is blocked: " + " ".join(f.message for f in report.hard))


class OverrideReasonRequired(Exception):
    """Some warnings have no written reason. ``missing_codes`` names them; ``report`` has all."""

    def __init__(self, report: SafetyReport, missing_codes: list[str]) -> None:
        self.report = report
        self.missing_codes = missing_codes
        super().__init__("A written reason is required to proceed past: " + ", ".join(missing_codes))
