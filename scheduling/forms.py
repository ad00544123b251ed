"""Forms for the schedule pages. They parse and validate input; the services decide and write.

Times are typed as a clinic-local date and time and become one aware instant in ``clean``
(through ``clinic.clock``, like every other local-to-UTC conversion).
"""

from __future__ import annotations

import datetime as dt

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row, Submit
from django import forms
from django.utils import timezone

from clinic.bounds import PLANNING_HORIZON_DAYS, VIEW_HORIZON_DAYS, date_within
from clinic.clock import local_instant
from patients.models import Patient
from treatments.models import Indication, PlanStatus, TreatmentPlan

from .models import AppointmentType, CancelledBy, Location, Room
from .selectors import clinicians

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")


def _active_locations():
    return Location.objects.filter(is_active=True)


def _patient_plans(patient: Patient | None):
    if patient is None:
        return TreatmentPlan.objects.none()
    return TreatmentPlan.objects.filter(patient=patient, status=PlanStatus.ACTIVE).select_related("indication")


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, plan: TreatmentPlan) -> str:
        return f"{plan.indication.name}{f' ({plan.get_side_display().lower()})' if plan.side else ''}"


class DayForm(forms.Form):
    """Which day (and optionally which location) the day view shows; today when blank."""

    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}),
                           validators=[date_within(days_ahead=VIEW_HORIZON_DAYS)])
    location = forms.ModelChoiceField(queryset=_active_locations(), required=False, empty_label="All locations")
    # One clinician's column only (?clinician=<id>): where a clinician's day starts after sign-in.
    clinician = forms.ModelChoiceField(queryset=clinicians(), required=False, empty_label="All clinicians")

    def day(self):
        return (self.cleaned_data.get("date") if self.is_valid() else None) or timezone.localdate()

    def chosen_location(self) -> Location | None:
        return self.cleaned_data.get("location") if self.is_valid() else None

    def chosen_clinician(self):
        return self.cleaned_data.get("clinician") if self.is_valid() else None


class WeekForm(forms.Form):
    """Whose week, and a day in it (the week starts on that day's Monday)."""

    clinician = forms.ModelChoiceField(queryset=clinicians(), required=False, empty_label=None)
    date = forms.DateField(required=False, widget=DATE_WIDGET, validators=[date_within(days_ahead=VIEW_HORIZON_DAYS)])

    def week_start(self) -> dt.date:
        day = (self.cleaned_data.get("date") if self.is_valid() else None) or timezone.localdate()
        return day - dt.timedelta(days=day.weekday())


class PatientPickForm(forms.Form):
    q = forms.CharField(label="Find the patient", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "Name, date of birth, MRN or phone",
                                                      "autofocus": True}))


class SlotSearchForm(forms.Form):
    """What the slot finder looks for (read from the query string)."""

    appointment_type = forms.ModelChoiceField(queryset=AppointmentType.objects.filter(is_active=True),
                                              label="Type")
    plan = PlanChoiceField(queryset=TreatmentPlan.objects.none(), required=False, empty_label="No plan",
                           help_text="For an injection: the plan whose cycle it is.")
    clinician = forms.ModelChoiceField(queryset=clinicians(), required=False, empty_label="Any clinician")
    location = forms.ModelChoiceField(queryset=_active_locations(), required=False, empty_label="Any location")
    start_date = forms.DateField(label="From", required=False, widget=DATE_WIDGET,
                                 validators=[date_within(days_ahead=PLANNING_HORIZON_DAYS)])

    def __init__(self, *args, patient: Patient | None = None, choose_type: bool = True, **kwargs) -> None:
        """``choose_type=False`` (rescheduling): the type and plan are the appointment's own."""
        kwargs.setdefault("auto_id", "search_%s")  # shares a page with the booking form's fields
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = _patient_plans(patient)
        kind = [Column("appointment_type"), Column("plan")]
        if not choose_type:
            del self.fields["appointment_type"], self.fields["plan"]
            kind = []
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page's form also carries the patient
        self.helper.layout = Layout(Row(*kind, Column("clinician"), Column("location"), Column("start_date")))

    def clean_start_date(self) -> dt.date:
        return max(self.cleaned_data.get("start_date") or timezone.localdate(), timezone.localdate())


class _AtTimeForm(forms.Form):
    """A clinic-local date and time, a clinician and a room, and the two explicit overrides."""

    clinician = forms.ModelChoiceField(queryset=clinicians())
    room = forms.ModelChoiceField(queryset=Room.objects.filter(is_active=True, location__is_active=True)
                                  .select_related("location"))
    date = forms.DateField(widget=DATE_WIDGET, validators=[date_within(
        days_ahead=PLANNING_HORIZON_DAYS, too_late="Appointments can be booked up to two years ahead.")])
    time = forms.TimeField(widget=TIME_WIDGET, help_text="Clinic time.")
    confirm_early = forms.BooleanField(
        required=False, label="Book it before the minimum re-treatment interval",
        help_text="Only after checking with the clinician.",
    )
    override_reason = forms.CharField(
        required=False, max_length=500, label="Manager override: reason",
        help_text="Books outside the clinician's hours or in their time off. Managers only.",
    )

    def __init__(self, *args, can_override: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].label_from_instance = lambda room: f"{room.location} · {room}"
        if not can_override:
            del self.fields["override_reason"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.show_confirm_early(bool(self.data.get("confirm_early")))

    def show_confirm_early(self, show: bool = True) -> None:
        """The early-injection checkbox appears only once the warning has been shown."""
        kind = [Column(name) for name in ("appointment_type", "plan") if name in self.fields]
        self.helper.layout = Layout(
            Row(*kind, Column("clinician"), Column("room")), Row(Column("date"), Column("time")),
            Field("confirm_early", wrapper_class="" if show else "d-none"),
            *(["override_reason"] if "override_reason" in self.fields else []),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date") and cleaned.get("time"):
            cleaned["start_at"] = local_instant(cleaned["date"], cleaned["time"])
            if cleaned["start_at"] < timezone.now() - dt.timedelta(hours=12):
                self.add_error("date", "That time has passed.")
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "clinician": data["clinician"], "room": data["room"], "start_at": data["start_at"],
            "confirm_early": data["confirm_early"], "override_reason": data.get("override_reason") or None,
        }


class BookingForm(_AtTimeForm):
    """One booking: posted by a slot button (all hidden) or typed in as "a set time"."""

    appointment_type = forms.ModelChoiceField(queryset=AppointmentType.objects.filter(is_active=True),
                                              label="Type")
    plan = PlanChoiceField(queryset=TreatmentPlan.objects.none(), required=False, empty_label="No plan")

    field_order = ["appointment_type", "plan", "clinician", "room", "date", "time"]

    def __init__(self, *args, patient: Patient | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = _patient_plans(patient)


class RescheduleForm(_AtTimeForm):
    field_order = ["clinician", "room", "date", "time"]


class CancelForm(forms.Form):
    by = forms.ChoiceField(choices=CancelledBy.choices, label="Cancelled by", initial=CancelledBy.PATIENT)
    reason = forms.CharField(max_length=500, strip=True)


class RecallFilterForm(forms.Form):
    within_weeks = forms.IntegerField(label="Due within (weeks)", min_value=0, max_value=52, initial=4,
                                      required=False)
    indication = forms.ModelChoiceField(queryset=Indication.objects.order_by("name"), required=False,
                                        empty_label="All indications")
    clinician = forms.ModelChoiceField(queryset=clinicians(), required=False, empty_label="All clinicians")
    location = forms.ModelChoiceField(queryset=_active_locations(), required=False, empty_label="All locations")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(Column("within_weeks"), Column("indication"), Column("clinician"), Column("location")),
            Submit("filter", "Show"),
        )

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        within = data.get("within_weeks")
        return {
            "within_weeks": 4 if within is None else within, "indication": data.get("indication"),
            "clinician": data.get("clinician"), "location": data.get("location"),
        }
