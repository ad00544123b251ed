"""Why a booking or a change was refused, in words the front desk can act on (``str(error)``)."""

from __future__ import annotations

import datetime as dt

from clinic.formats import clinic_date


class SchedulingError(Exception):
    """Base class: a refusal the page shows as it is, never a 500."""


class SlotTaken(SchedulingError):
    """The clinician, the room or the patient already has an active appointment at that time."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__("; ".join(reasons) + ".")


class NeedsManagerOverride(SchedulingError):
    """Outside the clinician's working hours or in their time off: a manager may book it anyway,
    giving a reason."""


class EarlyRetreatmentNeedsConfirmation(SchedulingError):
    """An injection before the plan's minimum re-treatment date: book it only once confirmed."""

    def __init__(self, earliest: dt.date) -> None:
        self.earliest = earliest
        super().__init__(
            f"This is earlier than the plan's minimum re-treatment interval allows "
            f"(not before {clinic_date(earliest)}). Confirm to book it anyway."
        )


class InvalidTransition(SchedulingError):
    """The appointment's current status does not allow this action (e.g. checking in a cancelled one)."""
