"""What the schedule pages share: who may do what, and the day page an appointment is on."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from accounts.roles import Role
from clinic.clock import local_date

# Seeing the schedule: the front desk and clinicians (managers may do everything).
SCHEDULE_ROLES = (Role.FRONT_DESK, Role.CLINICIAN)
# Booking and changing appointments: the front desk (and managers).
BOOKING_ROLES = (Role.FRONT_DESK,)


def day_url(day: dt.date) -> str:
    return f"{reverse('scheduling:day')}?date={day.isoformat()}"


def appointment_day_url(start_at: dt.datetime) -> str:
    return day_url(local_date(start_at))
