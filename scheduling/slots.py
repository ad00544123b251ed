"""The slot finder: the next free times for an appointment type.

A fixed set of queries loads everything the range needs (hours, rooms, time off, active
bookings, the plan's last session), whatever its length; the rest is computed in Python.
Each day's working blocks are turned into UTC with that day's own offset (``clock.local_window``),
so a 09:00–17:00 block is 09:00–17:00 on the clinic's clocks on DST change-over days too.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from clinic.clock import local_instant, local_window
from patients.models import Patient
from treatments.models import TreatmentPlan
from treatments.selectors import plan_earliest_retreatment_date

from .models import Appointment, AppointmentType, Location, Room, TimeOff, WorkingHours

MAX_RANGE_DAYS = 28


@dataclass(frozen=True)
class Slot:
    start_at: dt.datetime
    end_at: dt.datetime
    clinician: Any
    room: Room

    @property
    def location(self) -> Location:
        return self.room.location


@dataclass
class _Busy:
    """Busy intervals of one clinician, room or patient, merged, for O(log n) "is it free?"."""

    intervals: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)
    _starts: list[dt.datetime] | None = None

    def add(self, start: dt.datetime, end: dt.datetime) -> None:
        self.intervals.append((start, end))
        self._starts = None

    def _merge(self) -> None:
        merged: list[tuple[dt.datetime, dt.datetime]] = []
        for start, end in sorted(self.intervals):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        self.intervals, self._starts = merged, [start for start, _ in merged]

    def is_free(self, start: dt.datetime, end: dt.datetime) -> bool:
        """True when [start, end) touches no busy interval (half-open: back-to-back is free)."""
        if self._starts is None:
            self._merge()
        index = bisect.bisect_left(self._starts, end)  # intervals starting before ``end``
        return index == 0 or self.intervals[index - 1][1] <= start


def _days(start_date: dt.date, end_date: dt.date) -> list[dt.date]:
    return [start_date + dt.timedelta(days=n) for n in range((end_date - start_date).days + 1)]


@dataclass
class _Scene:
    """What a search needs from the database, loaded once: the working-hour blocks by weekday,
    the active rooms by location, and who is busy when."""

    blocks_by_weekday: dict[int, list[WorkingHours]]
    rooms_by_location: dict[int, list[Room]]
    busy: dict[tuple[str, int], _Busy]


def _working_hours(*, clinician: Any, location: Location | None) -> list[WorkingHours]:
    hours = WorkingHours.objects.filter(location__is_active=True, clinician__is_active=True)
    if clinician is not None:
        hours = hours.filter(clinician=clinician)
    if location is not None:
        hours = hours.filter(location=location)
    return list(hours.select_related("clinician", "location").order_by("weekday", "starts_at"))


def _rooms_by_location(hours: list[WorkingHours]) -> dict[int, list[Room]]:
    rooms_by_location: dict[int, list[Room]] = defaultdict(list)
    rooms = Room.objects.filter(is_active=True, location_id__in={block.location_id for block in hours})
    for room in rooms.order_by("name").select_related("location"):
        rooms_by_location[room.location_id].append(room)
    return rooms_by_location


def _busy(
    *, clinician_ids: set[int], room_ids: list[int], patient: Patient | None, start: dt.datetime, end: dt.datetime
) -> dict[tuple[str, int], _Busy]:
    """Time off and active appointments between ``start`` and ``end``, per clinician, room and patient."""
    busy: dict[tuple[str, int], _Busy] = defaultdict(_Busy)
    for clinician_id, starts, ends in TimeOff.objects.filter(
        clinician_id__in=clinician_ids, starts_at__lt=end, ends_at__gt=start
    ).values_list("clinician_id", "starts_at", "ends_at"):
        busy["clinician", clinician_id].add(starts, ends)
    whose = Q(clinician_id__in=clinician_ids) | Q(room_id__in=room_ids)
    if patient is not None:
        whose |= Q(patient=patient)
    for clinician_id, room_id, patient_id, starts, ends in (
        Appointment.objects.active()
        .filter(whose, start_at__lt=end, end_at__gt=start)
        .values_list("clinician_id", "room_id", "patient_id", "start_at", "end_at")
    ):
        busy["clinician", clinician_id].add(starts, ends)
        busy["room", room_id].add(starts, ends)
        busy["patient", patient_id].add(starts, ends)
    return busy


def _scene(
    *, clinician: Any, location: Location | None, patient: Patient | None, start: dt.datetime, end: dt.datetime
) -> _Scene | None:
    """The search's rows (a fixed number of queries), or None when nobody works there."""
    hours = _working_hours(clinician=clinician, location=location)
    if not hours:
        return None
    rooms_by_location = _rooms_by_location(hours)
    blocks_by_weekday: dict[int, list[WorkingHours]] = defaultdict(list)
    for block in hours:
        blocks_by_weekday[block.weekday].append(block)
    busy = _busy(clinician_ids={block.clinician_id for block in hours},
                 room_ids=[room.pk for rooms in rooms_by_location.values() for room in rooms],
                 patient=patient, start=start, end=end)
    return _Scene(blocks_by_weekday=blocks_by_weekday, rooms_by_location=rooms_by_location, busy=busy)


def _block_slots(
    scene: _Scene, block: WorkingHours, day: dt.date, *, duration: dt.timedelta, step: dt.timedelta,
    now: dt.datetime, patient: Patient | None,
) -> list[Slot]:
    """The free slots of one working-hours block on ``day``: every ``step`` from its opening, in the
    future, with the clinician, the patient and one of the location's rooms free throughout."""
    busy, slots = scene.busy, []
    opens, closes = local_window(day, block.starts_at, block.ends_at)
    start = opens
    while start + duration <= closes:
        end = start + duration
        if (
            start >= now
            and busy["clinician", block.clinician_id].is_free(start, end)
            and (patient is None or busy["patient", patient.pk].is_free(start, end))
        ):
            room = next(
                (r for r in scene.rooms_by_location[block.location_id] if busy["room", r.pk].is_free(start, end)),
                None,
            )
            if room is not None:
                slots.append(Slot(start_at=start, end_at=end, clinician=block.clinician, room=room))
        start += step
    return slots


def slots_find(
    *,
    appointment_type: AppointmentType,
    start_date: dt.date,
    end_date: dt.date | None = None,
    clinician: Any = None,
    location: Location | None = None,
    patient: Patient | None = None,
    plan: TreatmentPlan | None = None,
    step_minutes: int = 15,
    limit: int = 20,
) -> list[Slot]:
    """The first ``limit`` free slots from ``start_date`` to ``end_date`` (clinic-local dates,
    inclusive, at most four weeks), earliest first.

    A slot lies within a block of the clinician's working hours, outside their time off, clear
    of the clinician's, the patient's and one room's active appointments (a room at the block's
    location), in the future, and, for an injection with a plan, not before the plan's minimum
    re-treatment date.
    """
    end_date = end_date or start_date + dt.timedelta(days=MAX_RANGE_DAYS - 1)
    if not 0 <= (end_date - start_date).days < MAX_RANGE_DAYS:
        raise ValueError(f"The slot finder searches 1 to {MAX_RANGE_DAYS} days at a time.")
    now = timezone.now()
    scene = _scene(clinician=clinician, location=location, patient=patient,
                   start=max(now, local_instant(start_date, dt.time.min)),
                   end=local_instant(end_date + dt.timedelta(days=1), dt.time.min))
    if scene is None:
        return []
    earliest = plan_earliest_retreatment_date(plan) if plan is not None and appointment_type.is_injection else None
    duration = dt.timedelta(minutes=appointment_type.default_duration_minutes)
    found: list[Slot] = []
    for day in _days(max(start_date, earliest or start_date), end_date):
        todays = [slot for block in scene.blocks_by_weekday[day.weekday()]
                  for slot in _block_slots(scene, block, day, duration=duration,
                                           step=dt.timedelta(minutes=step_minutes), now=now, patient=patient)]
        todays.sort(key=lambda slot: (slot.start_at, str(slot.clinician), slot.room.name))
        found.extend(todays)
        if len(found) >= limit:
            break
    return found[:limit]
