"""When reminders go out: offsets, quiet hours and windows, all in the clinic's zone.

Every instant is UTC; every rule a person states ("09:00", "14 days before") is clinic-local,
so conversions combine a local date and time with zoneinfo, which picks that date's offset:
09:00 stays 09:00 on both sides of a DST change.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from clinic.clock import local_instant

from .models import CYCLE_KINDS, Reminder, ReminderKind

UTC = dt.UTC


def _parse_time(value: str) -> dt.time:
    hours, minutes = value.split(":")
    return dt.time(int(hours), int(minutes))


def daytime() -> tuple[dt.time, dt.time]:
    """The clinic-local hours in which reminders may be sent, [start, end)."""
    return _parse_time(settings.REMINDERS_DAYTIME_START), _parse_time(settings.REMINDERS_DAYTIME_END)


def local_today(now: dt.datetime | None = None) -> dt.date:
    return timezone.localtime(now or timezone.now()).date()


def next_daytime(instant: dt.datetime) -> dt.datetime:
    """``instant`` if it is inside the clinic's daytime, else the next daytime start."""
    start, end = daytime()
    local = timezone.localtime(instant)
    if local.time() < start:
        return local_instant(local.date(), start)
    if local.time() >= end:
        return local_instant(local.date() + dt.timedelta(days=1), start)
    return instant


def cycle_window_end_on(kind: str, cycle_due_on: dt.date) -> dt.date:
    """The clinic-local date from which a cycle reminder is ``missed``: the coming-up reminder
    is pointless once the cycle is due (the overdue one takes over); the overdue one after
    ``REMINDERS_CYCLE_OVERDUE_WINDOW_DAYS`` (the front desk's recall list takes over)."""
    if kind == ReminderKind.CYCLE_DUE:
        return cycle_due_on
    return cycle_due_on + dt.timedelta(
        days=settings.REMINDERS_CYCLE_OVERDUE_DAYS_AFTER + settings.REMINDERS_CYCLE_OVERDUE_WINDOW_DAYS
    )


def window_end(reminder: Reminder) -> dt.datetime | None:
    """The instant from which ``reminder`` is ``missed`` (None: no window)."""
    if reminder.kind in CYCLE_KINDS:
        return local_instant(cycle_window_end_on(reminder.kind, reminder.cycle_due_on), dt.time.min)
    return reminder.window_ends_at


def retry_backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4 … minutes, at most an hour: the next sweep after ``due_at`` sends it again."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))
