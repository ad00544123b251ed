"""Booking and rescheduling: the slot finder's free times as buttons, or a time typed in.

One page serves every way in: from a patient (``?patient=``), from an empty slot in the day view
(``?clinician=&date=&time=&location=``, then the patient is chosen) and from the recall board
(``?patient=&plan=&clinician=&appointment_type=``). A refusal re-renders the page with the reason
on the form (a clash names the clashing appointment) and nothing saved.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from accounts.access import RoleRequiredMixin
from accounts.roles import Role, roles_of
from clinic.clock import local_instant
from clinic.formats import clinic_datetime
from patients.models import Patient
from patients.selectors import patient_search

from ..errors import EarlyRetreatmentNeedsConfirmation, NeedsManagerOverride, SchedulingError
from ..forms import BookingForm, PatientPickForm, RescheduleForm, SlotSearchForm
from ..models import Appointment, AppointmentStatus, AppointmentType
from ..services import appointment_book, appointment_reschedule
from ..slots import Slot, slots_find
from .common import BOOKING_ROLES, appointment_day_url

SLOTS_SHOWN = 12
PATIENT_MATCHES_SHOWN = 20


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def add_refusal(form, refusal: SchedulingError, *, can_override: bool) -> None:
    """Put a service's refusal on the field that resolves it, or at the top of the form."""
    if isinstance(refusal, EarlyRetreatmentNeedsConfirmation):
        form.add_error("confirm_early", str(refusal))
        form.show_confirm_early()
    elif isinstance(refusal, NeedsManagerOverride) and can_override:
        form.add_error("override_reason", str(refusal))
    else:
        form.add_error(None, str(refusal))


class SlotPageMixin(RoleRequiredMixin):
    """The slot finder's search and results, and the "at a set time" form, for one patient."""

    allowed_roles = BOOKING_ROLES
    template_name = "scheduling/book.html"

    @cached_property
    def can_override(self) -> bool:
        return Role.MANAGER in roles_of(self.request.user)

    def search_data(self) -> QueryDict:
        return self.request.GET

    def find_slots(self, search: SlotSearchForm, patient: Patient, *, appointment_type=None, plan=None) -> list[Slot]:
        if not search.is_valid():
            return []
        data = self.search_data()
        start_date = search.cleaned_data["start_date"]
        slots = slots_find(
            appointment_type=appointment_type or search.cleaned_data["appointment_type"], start_date=start_date,
            end_date=start_date + dt.timedelta(days=27), clinician=search.cleaned_data["clinician"],
            location=search.cleaned_data["location"], patient=patient,
            plan=plan or search.cleaned_data.get("plan"), limit=SLOTS_SHOWN * 4,
        )
        # From an empty slot in the day view: start at the time that was clicked.
        at = data.get("time")
        if at and search.cleaned_data["start_date"].isoformat() == data.get("date"):
            try:
                from_instant = local_instant(start_date, dt.time.fromisoformat(at))
            except ValueError:
                from_instant = None
            if from_instant is not None:
                slots = [slot for slot in slots if slot.start_at >= from_instant]
        return slots[:SLOTS_SHOWN]


class BookView(SlotPageMixin, TemplateView):
    @cached_property
    def patient(self) -> Patient | None:
        pk = _int(self.request.POST.get("patient") or self.request.GET.get("patient"))
        return Patient.objects.filter(pk=pk).first() if pk else None

    def search_data(self) -> QueryDict:
        data = self.request.GET.copy()
        if not data.get("appointment_type"):
            default = AppointmentType.objects.filter(is_active=True).order_by("sort_order", "name").first()
            if default is not None:
                data["appointment_type"] = str(default.pk)
        if not data.get("start_date") and data.get("date"):
            data["start_date"] = data["date"]
        return data

    def get_context_data(self, **kwargs):
        context = super().get_context_data(patient=self.patient, **kwargs)
        if self.patient is None:
            pick = PatientPickForm(self.request.GET or None)
            query = pick.cleaned_data.get("q", "") if pick.is_valid() else ""
            carry = self.request.GET.copy()
            carry.pop("q", None)
            context.update(
                pick_form=pick, query=query, carry=carry,
                matches=list(patient_search(query=query)[:PATIENT_MATCHES_SHOWN]) if query else [],
            )
            return context
        data = self.search_data()
        search = SlotSearchForm(data, patient=self.patient)
        if "form" not in context:
            context["form"] = BookingForm(patient=self.patient, can_override=self.can_override, initial={
                "appointment_type": data.get("appointment_type"), "plan": data.get("plan"),
                "clinician": data.get("clinician"), "date": data.get("date") or timezone.localdate(),
                "time": data.get("time"),
            })
        context.update(search=search, slots=self.find_slots(search, self.patient),
                       plan_id=search.cleaned_data.get("plan").pk if search.is_valid()
                       and search.cleaned_data.get("plan") else "")
        return context

    def post(self, request, *args, **kwargs) -> HttpResponse:
        if self.patient is None:
            messages.error(request, "Choose the patient first.")
            return redirect("scheduling:book")
        form = BookingForm(request.POST, patient=self.patient, can_override=self.can_override)
        if form.is_valid():
            try:
                appointment = appointment_book(
                    actor=request.user, patient=self.patient, appointment_type=form.cleaned_data["appointment_type"],
                    plan=form.cleaned_data["plan"], **form.service_kwargs(),
                )
            except SchedulingError as refusal:
                add_refusal(form, refusal, can_override=self.can_override)
            else:
                messages.success(request, _booked_message("Booked", appointment))
                return redirect(appointment_day_url(appointment.start_at))
        return self.render_to_response(self.get_context_data(form=form))


class RescheduleView(SlotPageMixin, TemplateView):
    """Move a booked or confirmed appointment: the slot finder starts on its type, clinician and plan."""

    @cached_property
    def appointment(self) -> Appointment:
        # Loaded lazily, after the role check: a refusal does not say which ids exist.
        return get_object_or_404(
            Appointment.objects.select_related("patient", "clinician", "room__location", "appointment_type", "plan"),
            pk=self.kwargs["pk"],
        )

    def search_data(self) -> QueryDict:
        data = self.request.GET.copy()
        data.setdefault("clinician", str(self.appointment.clinician_id))
        return data

    def get_context_data(self, **kwargs):
        appointment = self.appointment
        search = SlotSearchForm(self.search_data(), patient=appointment.patient, choose_type=False)
        context = super().get_context_data(appointment=appointment, patient=appointment.patient, search=search,
                                           plan_id=appointment.plan_id or "", **kwargs)
        if "form" not in context:
            local_start = timezone.localtime(appointment.start_at)
            context["form"] = RescheduleForm(can_override=self.can_override, initial={
                "clinician": appointment.clinician_id, "room": appointment.room_id,
                "date": local_start.date(), "time": local_start.time(),
            })
        movable = appointment.status in (AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED)
        slots = self.find_slots(search, appointment.patient, appointment_type=appointment.appointment_type,
                                plan=appointment.plan) if movable else []
        context.update(movable=movable, slots=slots)
        return context

    def post(self, request, *args, **kwargs) -> HttpResponse:
        form = RescheduleForm(request.POST, can_override=self.can_override)
        if form.is_valid():
            try:
                appointment = appointment_reschedule(actor=request.user, appointment=self.appointment,
                                                     **form.service_kwargs())
            except SchedulingError as refusal:
                add_refusal(form, refusal, can_override=self.can_override)
            else:
                messages.success(request, _booked_message("Moved", appointment))
                return redirect(appointment_day_url(appointment.start_at))
        return self.render_to_response(self.get_context_data(form=form))


def _booked_message(verb: str, appointment: Appointment) -> str:
    return (f"{verb}: {appointment.patient.display_name}, {appointment.appointment_type} with "
            f"{appointment.clinician} on {clinic_datetime(appointment.start_at)}, {appointment.room}.")
