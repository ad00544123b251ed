"""What the schedule announces to the apps built on it (the mechanism: clinic/hooks.py).

Each hook names the modules that handle it; open those to see what follows a send."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from clinic.hooks import Hook


@dataclass(frozen=True)
class AppointmentChanged:
    appointment_id: int
    change: Literal["booked", "rescheduled", "cancelled"]


# Sent by ``services.appointment_book``, ``appointment_reschedule`` and ``appointment_cancel``
# inside their transaction, once the appointment is saved and audited.
appointment_changed: Hook[AppointmentChanged] = Hook(
    "scheduling.appointment_changed", AppointmentChanged,
    handled_in=("reminders.handlers",),  # the confirmation now, stale reminders cancelled now
)
