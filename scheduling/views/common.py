"""What the schedule pages share: who may do what, and where to go after a POST."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from clinic.clock import local_date

from ..roles import BOOKING_ROLES as BOOKING_ROLES  # the views' roles, defined beside the selectors'
from ..roles import SCHEDULE_ROLES as SCHEDULE_ROLES


def day_url(day: dt.date) -> str:
    return f"{reverse('scheduling:day')}?date={day.isoformat()}"


def appointment_day_url(start_at: dt.datetime) -> str:
    return day_url(local_date(start_at))


def next_or(request: HttpRequest, fallback: str) -> str:
    """The ``next`` the page posted, if it is one of ours; otherwise ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback
