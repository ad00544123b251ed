"""The day view's buttons: confirm, check in, cancel (with a reason) and no-show. Each is a POST
that calls one service; a refusal comes back as a message on the page the button was on."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from accounts.access import role_required
from clinic.clock import local_time_range
from clinic.redirects import redirect_next, safe_next

from ..errors import SchedulingError
from ..forms import CancelForm
from ..models import Appointment, CancelledBy
from ..services import appointment_cancel, appointment_check_in, appointment_confirm, appointment_mark_no_show
from .common import BOOKING_ROLES, appointment_day_url


def _appointment(pk: int) -> Appointment:
    # The front desk and managers may act on any appointment; the role check has already run.
    return get_object_or_404(Appointment.objects.select_related("patient", "clinician"), pk=pk)


def _act(request: HttpRequest, pk: int, change: Callable[[Appointment], Appointment], done: str) -> HttpResponse:
    appointment = _appointment(pk)
    # Where to go is settled before the change: nothing may fail once it has committed.
    back = safe_next(request, appointment_day_url(appointment.start_at))
    try:
        appointment = change(appointment)
    except SchedulingError as refusal:
        messages.error(request, str(refusal))
    else:
        when = local_time_range(appointment.start_at, appointment.end_at)
        messages.success(request, f"{appointment.patient.display_name} ({when}, {appointment.clinician}): {done}.")
    return HttpResponseRedirect(back)


@require_POST
@role_required(*BOOKING_ROLES)
def appointment_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda a: appointment_confirm(actor=request.user, appointment=a), "confirmed")


@require_POST
@role_required(*BOOKING_ROLES)
def appointment_check_in_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda a: appointment_check_in(actor=request.user, appointment=a), "checked in")


@require_POST
@role_required(*BOOKING_ROLES)
def appointment_no_show_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda a: appointment_mark_no_show(actor=request.user, appointment=a),
                "marked as a no-show")


@require_POST
@role_required(*BOOKING_ROLES)
def appointment_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = CancelForm(request.POST)
    if not form.is_valid():
        appointment = _appointment(pk)
        messages.error(request, "To cancel, say who cancelled and why.")
        return redirect_next(request, appointment_day_url(appointment.start_at))
    by, reason = CancelledBy(form.cleaned_data["by"]), form.cleaned_data["reason"]
    return _act(request, pk, lambda a: appointment_cancel(actor=request.user, appointment=a, by=by, reason=reason),
                f"cancelled by the {by.label.lower()}")
