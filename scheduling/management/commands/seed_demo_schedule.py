"""Demo schedule: two locations with rooms, the four appointment types, the demo clinicians' hours
and some time off, and about five weeks of appointments around today (three past, two ahead).

Everything goes through ``scheduling.services``, so the audit trail and the no-double-booking
rules hold for demo data too. Past days carry completed visits, no-shows and cancellations; the
signed injection sessions of the treatments demo in that window get the appointment they
completed. Ahead, about half of the plans falling due are booked, so the recall board keeps
both due and overdue patients. Idempotent: settings are created once, and appointments only when
the demo clinicians have none. Called by ``seed_demo``; refuses to run with DEBUG off.
"""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import User
from clinic.clock import local_instant, local_window
from patients.models import Patient
from treatments.models import InjectionSession, SessionStatus

from ...errors import SchedulingError
from ...models import Appointment, AppointmentType, CancelledBy, Location, Room, TimeOff, WorkingHours
from ...selectors import plans_due_for_recall
from ...services import (
    appointment_book,
    appointment_cancel,
    appointment_check_in,
    appointment_complete,
    appointment_confirm,
    appointment_mark_no_show,
    schedule_setting_save,
)
from ...slots import slots_find

LOCATIONS = {"Lakeside Main": ("Room 1", "Room 2", "Procedure room"), "North Clinic": ("Room A", "Room B")}
TYPES = (  # name, minutes, is_injection, sort order
    ("Injection session", 30, True, 1), ("Follow-up", 20, False, 2), ("New consultation", 60, False, 3),
    ("Review call", 15, False, 4),
)
HOURS = {  # username: (weekday, location, starts, ends)
    "clinician": [(d, "Lakeside Main", "08:30", "12:30") for d in range(4)]
    + [(d, "Lakeside Main", "13:30", "17:00") for d in range(4)] + [(4, "North Clinic", "09:00", "13:00")],
    "clinician2": [(d, "Lakeside Main", "09:00", "17:00") for d in (0, 2, 4)]
    + [(d, "North Clinic", "08:00", "16:00") for d in (1, 3)],
}
CANCEL_REASONS = {
    CancelledBy.PATIENT: ["Unwell with a cold", "Work commitment", "Childcare fell through", "Travelling"],
    CancelledBy.CLINIC: ["Clinician unwell", "Room out of use (maintenance)"],
}
PAST_DAYS, AHEAD_DAYS = 21, 14


class Command(BaseCommand):
    help = "Demo locations, rooms, hours and a month of appointments (idempotent; refuses in production)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo_schedule loads fake data; it does not run with DJANGO_DEBUG=false.")
        self.rng = random.Random(options["seed"])
        self.today = timezone.localdate()
        self.now = timezone.now()
        users = {u.username: u for u in User.objects.filter(username__in=["frontdesk", "manager", *HOURS])}
        if len(users) < 2 + len(HOURS):
            raise CommandError("Run seed_demo first: it creates the demo staff.")
        self.desk, manager = users["frontdesk"], users["manager"]
        self.clinicians = [users[name] for name in HOURS]
        self._settings(manager, users)
        if Appointment.objects.filter(clinician__in=self.clinicians).exists():
            self.stdout.write("Schedule demo: appointments already there; left as they are.")
            return
        self.types = {t.name: t for t in AppointmentType.objects.all()}
        self.patients = list(Patient.objects.active().order_by("pk"))
        linked = self._past_injections()
        booked_ahead = self._injections_ahead()
        self._fill()
        self.stdout.write(self.style.SUCCESS(
            f"Schedule demo: {Appointment.objects.count()} appointments ({linked} completed sessions linked, "
            f"{booked_ahead} injections booked ahead); {plans_due_for_recall().count()} plans on the recall board."
        ))

    # --- Locations, rooms, types, hours, time off ------------------------------------------------

    def _settings(self, manager: User, users: dict[str, User]) -> None:
        for name, rooms in LOCATIONS.items():
            location = Location.objects.filter(name=name).first() or schedule_setting_save(
                actor=manager, instance=Location(name=name, address=f"{name}, Chicago IL"))
            for room in rooms:
                if not Room.objects.filter(location=location, name=room).exists():
                    schedule_setting_save(actor=manager, instance=Room(location=location, name=room))
        for name, minutes, injection, order in TYPES:
            if not AppointmentType.objects.filter(name=name).exists():
                schedule_setting_save(actor=manager, instance=AppointmentType(
                    name=name, default_duration_minutes=minutes, is_injection=injection, sort_order=order))
        for username, blocks in HOURS.items():
            clinician = users[username]
            if WorkingHours.objects.filter(clinician=clinician).exists():
                continue
            for weekday, location, starts, ends in blocks:
                schedule_setting_save(actor=manager, instance=WorkingHours(
                    clinician=clinician, location=Location.objects.get(name=location), weekday=weekday,
                    starts_at=dt.time.fromisoformat(starts), ends_at=dt.time.fromisoformat(ends)))
        okafor = users["clinician2"]
        if not TimeOff.objects.filter(clinician=okafor).exists():
            leave = self.today + dt.timedelta(days=(3 - self.today.weekday()) % 7 + 7)  # Thursday next week
            schedule_setting_save(actor=manager, instance=TimeOff(
                clinician=okafor, starts_at=local_instant(leave, dt.time.min),
                ends_at=local_instant(leave + dt.timedelta(days=1), dt.time.min), reason="Annual leave"))

    # --- Appointments ------------------------------------------------------------------------

    def _book(self, **kwargs) -> Appointment | None:
        """Book, or ``None`` if the rules refuse it (the demo then simply leaves that time free)."""
        try:
            return appointment_book(actor=self.desk, **kwargs)
        except SchedulingError:
            return None

    def _room_for(self, clinician: User, start_at: dt.datetime) -> Room | None:
        day = timezone.localtime(start_at).date()
        block = WorkingHours.objects.filter(clinician=clinician, weekday=day.weekday()).first()
        return Room.objects.filter(location_id=block.location_id).order_by("name").first() if block else None

    def _past_injections(self) -> int:
        """The treatments demo's signed sessions in the past window: book, check in, complete."""
        linked = 0
        sessions = InjectionSession.objects.filter(
            status=SessionStatus.SIGNED, clinician__in=self.clinicians,
            performed_at__gte=local_instant(self.today - dt.timedelta(days=PAST_DAYS), dt.time.min),
        ).select_related("plan", "patient", "clinician")
        for session in sessions:
            room = self._room_for(session.clinician, session.performed_at)
            appointment = room and self._book(
                patient=session.patient, clinician=session.clinician, room=room, plan=session.plan,
                appointment_type=self.types["Injection session"], start_at=session.performed_at, confirm_early=True,
            )
            if appointment:
                appointment_check_in(actor=self.desk, appointment=appointment)
                appointment_complete(actor=session.clinician, appointment=appointment, session=session)
                linked += 1
        return linked

    def _injections_ahead(self) -> int:
        """Book every other plan falling due in the next two weeks; the rest stay on the board."""
        booked = 0
        due = plans_due_for_recall(within_weeks=2).filter(next_due__gte=self.today)
        for index, plan in enumerate(due):
            if index % 2:
                continue
            slots = slots_find(appointment_type=self.types["Injection session"], clinician=plan.responsible_clinician,
                               start_date=max(self.today + dt.timedelta(days=1), plan.next_due - dt.timedelta(days=3)),
                               patient=plan.patient, plan=plan, limit=8)
            if slots:
                slot = self.rng.choice(slots)
                booked += bool(self._book(patient=plan.patient, clinician=slot.clinician, room=slot.room, plan=plan,
                                          appointment_type=self.types["Injection session"], start_at=slot.start_at))
        return booked

    def _fill(self) -> None:
        """Follow-ups, consultations and calls in about half of each working block."""
        others = [self.types[name] for name in ("Follow-up", "Follow-up", "New consultation", "Review call")]
        for offset in range(-PAST_DAYS, AHEAD_DAYS + 1):
            day = self.today + dt.timedelta(days=offset)
            for block in WorkingHours.objects.filter(clinician__in=self.clinicians, weekday=day.weekday()):
                rooms = list(Room.objects.filter(location_id=block.location_id))
                start, closes = local_window(day, block.starts_at, block.ends_at)
                while start < closes:
                    kind = self.rng.choice(others)
                    end = start + dt.timedelta(minutes=kind.default_duration_minutes)
                    if end <= closes and self.rng.random() < 0.5:
                        appointment = self._book(patient=self.rng.choice(self.patients), clinician=block.clinician,
                                                 room=self.rng.choice(rooms), appointment_type=kind, start_at=start)
                        if appointment:
                            self._progress(appointment)
                    start = end if end <= closes else closes

    def _progress(self, appointment: Appointment) -> None:
        """Move a booking along as the days went: completed, no-show or cancelled in the past;
        confirmed or cancelled ahead."""
        roll = self.rng.random()
        if roll < 0.1:
            by = CancelledBy.PATIENT if roll < 0.08 else CancelledBy.CLINIC
            appointment_cancel(actor=self.desk, appointment=appointment, by=by,
                               reason=self.rng.choice(CANCEL_REASONS[by]))
        elif appointment.end_at <= self.now:
            if roll < 0.17:
                appointment_mark_no_show(actor=self.desk, appointment=appointment)
            else:
                appointment_check_in(actor=self.desk, appointment=appointment)
                appointment_complete(actor=appointment.clinician, appointment=appointment)
        elif roll < 0.6:
            appointment_confirm(actor=self.desk, appointment=appointment)
