"""``{% appointment_actions_for appointment as actions %}``: the actions the selector allows the
signed-in user on an appointment, for a template to draw (templates/scheduling/_appointment_actions.html)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from ..models import Appointment
from ..selectors import AppointmentAction, appointment_actions

register = template.Library()


@register.simple_tag(takes_context=True)
def appointment_actions_for(context: template.Context, appointment: Appointment) -> tuple[AppointmentAction, ...]:
    # The page's own `now` where it has one, so every card on it is judged at the same instant.
    now = context.get("now") or timezone.now()
    return appointment_actions(appointment=appointment, user=context.get("user"), now=now)
