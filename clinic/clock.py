"""Wall-clock time in the clinic's zone, and its conversion to the UTC instants we store.

Working hours are local times ("09:00"); appointments are UTC instants. Every conversion between
the two goes through here, so a DST day is handled in one place: a local time is combined with
its own date's offset by zoneinfo, so 09:00–17:00 is 8 real hours on both change-over days
(the changes happen at 02:00, outside clinic hours).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from .formats import clinic_time

UTC = dt.UTC


def clinic_zone() -> ZoneInfo:
    return timezone.get_default_timezone()


def local_instant(day: dt.date, at: dt.time) -> dt.datetime:
    """The UTC instant at which the clinic's clocks show ``at`` on ``day``."""
    return dt.datetime.combine(day, at, tzinfo=clinic_zone()).astimezone(UTC)


def local_window(day: dt.date, starts: dt.time, ends: dt.time) -> tuple[dt.datetime, dt.datetime]:
    return local_instant(day, starts), local_instant(day, ends)


def local_date(instant: dt.datetime) -> dt.date:
    return instant.astimezone(clinic_zone()).date()


def local_time_range(start_at: dt.datetime, end_at: dt.datetime) -> str:
    """'10:00 AM–10:30 AM' in the clinic's zone and locale, for messages."""
    zone = clinic_zone()
    return f"{clinic_time(start_at.astimezone(zone))}–{clinic_time(end_at.astimezone(zone))}"
