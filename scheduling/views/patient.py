"""The patient page's appointments section (added to the page by scheduling/handlers.py)."""

from __future__ import annotations

from typing import Any

from accounts.roles import has_role

from ..selectors import patient_appointments
from .common import BOOKING_ROLES


def patient_appointments_context(*, user: Any, patient: Any) -> dict[str, Any]:
    """Upcoming and past appointments, in one query; booking links for those who may book."""
    upcoming, past = patient_appointments(patient)
    return {"upcoming_appointments": upcoming, "past_appointments": past,
            "can_book": has_role(user, BOOKING_ROLES)}
