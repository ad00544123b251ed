"""Who may do what on the schedule (managers may do everything: ``accounts.roles.has_role``)."""

from __future__ import annotations

from accounts.roles import Role

# Seeing the schedule: the front desk and clinicians.
SCHEDULE_ROLES = (Role.FRONT_DESK, Role.CLINICIAN)
# Booking and changing appointments: the front desk.
BOOKING_ROLES = (Role.FRONT_DESK,)
