"""Front-desk pages for the schedule. Thin: forms parse, selectors read, services write."""

from __future__ import annotations

import datetime as dt

from django.views.generic import TemplateView

from accounts.access import RoleRequiredMixin
from accounts.roles import Role

from .forms import DayForm
from .selectors import day_schedule

SCHEDULE_ROLES = (Role.FRONT_DESK, Role.CLINICIAN)


class DayView(RoleRequiredMixin, TemplateView):
    """All clinicians side by side for one day, in the clinic's local time."""

    allowed_roles = SCHEDULE_ROLES
    template_name = "scheduling/day.html"

    def get_context_data(self, **kwargs):
        form = DayForm(self.request.GET or None)
        day = form.day()
        location = form.chosen_location()
        return super().get_context_data(
            form=form, day=day, location=location, columns=day_schedule(day=day, location=location),
            previous_day=day - dt.timedelta(days=1), next_day=day + dt.timedelta(days=1), **kwargs,
        )
