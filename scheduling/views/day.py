"""The day view (every clinician side by side) and one clinician's week, in clinic-local time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.views.generic import TemplateView

from accounts.access import RoleRequiredMixin
from clinic.clock import local_window

from ..forms import CancelForm, DayForm, WeekForm
from ..models import Appointment
from ..selectors import ClinicianDay, clinician_week, clinicians, day_schedule
from .common import SCHEDULE_ROLES

# A gap shorter than this is not offered for booking (nothing we book is shorter).
MIN_FREE_MINUTES = 15


@dataclass(frozen=True)
class FreePeriod:
    """Unbooked working time: the day view offers it for booking."""

    start_at: dt.datetime
    end_at: dt.datetime
    location: Any


@dataclass(frozen=True)
class Entry:
    """One line of a clinician's column: an appointment or a free period, in time order."""

    start_at: dt.datetime
    appointment: Appointment | None = None
    free: FreePeriod | None = None


def free_periods(day: dt.date, column: ClinicianDay) -> list[FreePeriod]:
    """The clinician's working blocks on ``day`` minus their active appointments and time off.
    Pure Python over what the column already holds: no queries."""
    busy = sorted(
        [(a.start_at, a.end_at) for a in column.appointments if a.is_active]
        + [(off.starts_at, off.ends_at) for off in column.time_off]
    )
    periods: list[FreePeriod] = []
    for block in column.hours:
        cursor, closes = local_window(day, block.starts_at, block.ends_at)
        for start, end in busy:
            if end <= cursor or start >= closes:
                continue
            if start > cursor:
                periods.append(FreePeriod(cursor, start, block.location))
            cursor = max(cursor, end)
        if cursor < closes:
            periods.append(FreePeriod(cursor, closes, block.location))
    minimum = dt.timedelta(minutes=MIN_FREE_MINUTES)
    return [period for period in periods if period.end_at - period.start_at >= minimum]


def column_entries(day: dt.date, column: ClinicianDay) -> list[Entry]:
    entries = [Entry(a.start_at, appointment=a) for a in column.appointments]
    entries += [Entry(period.start_at, free=period) for period in free_periods(day, column)]
    return sorted(entries, key=lambda entry: (entry.start_at, entry.free is not None))


class DayView(RoleRequiredMixin, TemplateView):
    """All clinicians side by side for one day, in the clinic's local time, with the front desk's
    actions on each appointment and the free time between them."""

    allowed_roles = SCHEDULE_ROLES
    template_name = "scheduling/day.html"

    def get_context_data(self, **kwargs):
        form = DayForm(self.request.GET or None)
        day = form.day()
        location = form.chosen_location()
        columns = day_schedule(day=day, location=location)
        if clinician := form.chosen_clinician():
            columns = [column for column in columns if column.clinician.pk == clinician.pk]
        return super().get_context_data(
            form=form, day=day, location=location, clinician=clinician, columns=columns,
            entries=[(column, column_entries(day, column)) for column in columns],
            cancel_form=CancelForm(), now=dt.datetime.now(dt.UTC),
            previous_day=day - dt.timedelta(days=1), next_day=day + dt.timedelta(days=1), **kwargs,
        )


class WeekView(RoleRequiredMixin, TemplateView):
    """One clinician's week, Monday to Sunday (a clinician sees their own by default)."""

    allowed_roles = SCHEDULE_ROLES
    template_name = "scheduling/week.html"

    def get_context_data(self, **kwargs):
        form = WeekForm(self.request.GET or None)
        week_start = form.week_start()
        clinician = (form.cleaned_data.get("clinician") if form.is_valid() else None) or self._default_clinician()
        week = clinician_week(clinician=clinician, week_start=week_start) if clinician else {}
        return super().get_context_data(
            form=form, clinician=clinician, week_start=week_start, week=week,
            days=[(day, column, column_entries(day, column)) for day, column in week.items()],
            previous_week=week_start - dt.timedelta(weeks=1), next_week=week_start + dt.timedelta(weeks=1),
            cancel_form=CancelForm(), now=dt.datetime.now(dt.UTC), **kwargs,
        )

    def _default_clinician(self):
        user = self.request.user
        return user if clinicians().filter(pk=user.pk).exists() else clinicians().first()
