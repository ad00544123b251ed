"""Sane ranges for the dates that forms take, so that a typo (or 9999-12-31) is a field error and
never reaches date arithmetic that would overflow, or a record dated centuries away.

These are plain sanity bounds, not clinical rules: limits that belong to a dose or an interval
live in the services' rules (``treatments.safety``, ``scheduling.services``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils import timezone

from .formats import clinic_date

# Nothing the clinic records (a birth, a session, a score, a lot) happened before this.
EARLIEST_DATE = dt.date(1900, 1, 1)
# How far ahead a date the clinic plans (an appointment, a plan's start) may be.
PLANNING_HORIZON_DAYS = 2 * 366
# How far ahead a date that only bounds a view or an export (a day page, a report) may be.
VIEW_HORIZON_DAYS = 10 * 366
# How far ahead a lot's expiry may be (manufacturers print a few years at most).
EXPIRY_HORIZON_DAYS = 10 * 366


def local_day(value: dt.date | dt.datetime) -> dt.date:
    return timezone.localdate(value) if isinstance(value, dt.datetime) else value


def date_within(*, days_ahead: int, earliest: dt.date = EARLIEST_DATE,
                too_late: str = "") -> Callable[[dt.date | dt.datetime], None]:
    """A form field validator: the (clinic-local) day is from ``earliest`` to ``days_ahead`` days
    after today. ``days_ahead=0``: not in the future."""

    def validate(value: dt.date | dt.datetime) -> None:
        day, latest = local_day(value), timezone.localdate() + dt.timedelta(days=days_ahead)
        if day < earliest:
            raise ValidationError(f"Check the year: this date cannot be before {earliest.year}.", code="too_early")
        if day > latest:
            raise ValidationError(too_late or f"Check the date: it cannot be after {clinic_date(latest)}.",
                                  code="too_late")

    return validate


def not_in_future(what: str) -> Callable[[dt.date | dt.datetime], None]:
    return date_within(days_ahead=0, too_late=f"{what} cannot be in the future.")
