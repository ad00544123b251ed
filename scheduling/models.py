"""Locations, rooms, clinicians' hours and time off, appointment types, and appointments.

Appointment times are stored in UTC and shown in the clinic's zone (settings.TIME_ZONE).
Working hours are wall-clock times in that zone, so "09:00" stays 09:00 across DST changes.
Writes go through ``scheduling.services``; reads of more than a line through ``selectors``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.postgres.fields import RangeBoundary, RangeOperators
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from .db import PostgresExclusionConstraint, TsTzRange


class Location(models.Model):
    name = models.CharField(max_length=100, unique=True)
    address = models.CharField(max_length=250, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        default_permissions = ("add", "change", "view")

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(max_length=60, help_text="As staff say it, e.g. 'Room 2'.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["location", "name"]
        default_permissions = ("add", "change", "view")
        constraints = [models.UniqueConstraint(fields=["location", "name"], name="unique_room_per_location")]

    def __str__(self) -> str:
        return self.name


class AppointmentType(models.Model):
    """New consultation, injection session, follow-up, review call…: a manager edits these."""

    name = models.CharField(max_length=80, unique=True)
    default_duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(8 * 60)]
    )
    is_injection = models.BooleanField(
        default=False, help_text="A cycle's injection: linked to a plan and held to its minimum interval."
    )
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        default_permissions = ("add", "change", "view")
        constraints = [
            models.CheckConstraint(condition=models.Q(default_duration_minutes__gte=5), name="appointment_type_min_5"),
        ]

    def __str__(self) -> str:
        return self.name


class Weekday(models.IntegerChoices):
    """Numbered as Python's ``date.weekday()``."""

    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class WorkingHours(models.Model):
    """One weekly block in which a clinician sees patients at a location (local wall-clock time).

    A split day is two rows (09:00–12:00 and 13:00–17:00).
    """

    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="working_hours")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="working_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts_at = models.TimeField("starts (local time)")
    ends_at = models.TimeField("ends (local time)")

    class Meta:
        ordering = ["clinician", "weekday", "starts_at"]
        default_permissions = ("add", "change", "view", "delete")
        verbose_name_plural = "working hours"
        indexes = [models.Index(fields=["clinician", "weekday"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="hours_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M} at {self.location}"


class TimeOff(models.Model):
    """Holiday, leave or blocked time: no bookings for the clinician in [starts_at, ends_at)."""

    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="time_off")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["starts_at"]
        default_permissions = ("add", "change", "view", "delete")
        verbose_name_plural = "time off"
        indexes = [models.Index(fields=["clinician", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="time_off_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clinician} off {self.starts_at:%Y-%m-%d %H:%M}"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    CONFIRMED = "confirmed", "Confirmed"
    CHECKED_IN = "checked_in", "Checked in"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "No-show"


# The longest appointment booked: no visit outlasts a clinic day. The day and week views read
# appointments starting in [day start − this, day end), a range the start_at index answers; the
# booking services refuse longer ones and PostgreSQL checks it (migration 0002).
MAX_APPOINTMENT_LENGTH = dt.timedelta(hours=12)

# Rows in these states hold their time: a clinician, room or patient cannot be double-booked
# against them. A cancelled or no-show appointment frees its time (the no-show patient is gone).
ACTIVE_STATUSES = (
    AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED, AppointmentStatus.CHECKED_IN, AppointmentStatus.COMPLETED,
)


class CancelledBy(models.TextChoices):
    PATIENT = "patient", "Patient"
    CLINIC = "clinic", "Clinic"


class AppointmentQuerySet(models.QuerySet):
    def active(self) -> AppointmentQuerySet:
        return self.filter(status__in=ACTIVE_STATUSES)


def _no_overlap(name: str, resource: str) -> PostgresExclusionConstraint:
    return PostgresExclusionConstraint(
        name=name,
        expressions=[
            (TsTzRange("start_at", "end_at", RangeBoundary()), RangeOperators.OVERLAPS),
            (resource, RangeOperators.EQUAL),
        ],
        condition=models.Q(status__in=ACTIVE_STATUSES),
    )


class Appointment(models.Model):
    """A patient's time with a clinician in a room. ``start_at``/``end_at`` are UTC instants."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="appointments")
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="appointments")
    appointment_type = models.ForeignKey(AppointmentType, on_delete=models.PROTECT, related_name="appointments")
    plan = models.ForeignKey(
        "treatments.TreatmentPlan", null=True, blank=True, on_delete=models.PROTECT, related_name="appointments",
        help_text="The treatment plan whose cycle this injection is.",
    )
    # The link lives here so that the treatments app needs no knowledge of scheduling.
    session = models.OneToOneField(
        "treatments.InjectionSession", null=True, blank=True, on_delete=models.PROTECT, related_name="appointment",
    )
    start_at = models.DateTimeField()
    end_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED)
    override_reason = models.TextField(
        blank=True, help_text="Why a manager booked outside the clinician's hours or in their time off."
    )
    checked_in_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.CharField(max_length=10, choices=CancelledBy.choices, blank=True)
    cancel_reason = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["start_at", "id"]
        default_permissions = ("add", "change", "view")  # never deleted: cancelled instead
        indexes = [
            models.Index(fields=["clinician", "start_at"]),
            models.Index(fields=["room", "start_at"]),
            models.Index(fields=["patient", "start_at"]),
            models.Index(fields=["start_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_at__gt=models.F("start_at")), name="appointment_end_after_start"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="cancelled")
                | models.Q(cancelled_at__isnull=False) & ~models.Q(cancelled_by=""),
                name="cancelled_appointment_says_by_whom_and_when",
            ),
            # PostgreSQL only (see scheduling.db); SQLite serializes writers and re-checks.
            _no_overlap("no_overlapping_appointments_per_clinician", "clinician"),
            _no_overlap("no_overlapping_appointments_per_room", "room"),
            _no_overlap("no_overlapping_appointments_per_patient", "patient"),
        ]

    def __str__(self) -> str:
        return f"{self.appointment_type} {self.start_at:%Y-%m-%d %H:%M}Z"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class CalendarFeedKey(models.Model):
    """A clinician's calendar feed key. Every feed address carries a fingerprint of it, so that
    "Reset feed address" (a new key) turns every copy of the old address off at once. A clinician
    who never reset has no row: their key is blank."""

    clinician = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    reset_at = models.DateTimeField()

    class Meta:
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"Calendar feed key of user {self.clinician_id} (reset {self.reset_at:%Y-%m-%d %H:%M}Z)"
