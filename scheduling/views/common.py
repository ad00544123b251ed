"""What the schedule pages share: who may do what, and the day page an appointment is on."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from clinic.clock import local_date

from ..roles import BOOKING_ROLES as BOOKING_ROLES  # the views' roles, defined beside the selectors'
from ..roles import SCHEDULE_ROLES as SCHEDULE_ROLES


def day_url(day: dt.date) -> str:
    return f"{reverse('scheduling:day')}?date={day.isoformat()}"


def appointment_day_url(start_at: dt.datetime) -> str:
    return day_url(local_date(start_at))
