"""One plan walked through three cycles, day by day across both DST changes: the reminder 14
days before each due date, the overdue one 7 days after unless booked, nothing once booked, and
each signed session starting the next cycle."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from patients.models import ReminderPreference
from reminders.models import Reminder, ReminderState

from .conftest import CHICAGO, local, outbox_pass

pytestmark = pytest.mark.django_db


def test_three_cycles_across_daylight_saving(time_machine, make_patient, make_plan, sign, make_appointment,
                                             mailoutbox):
    patient = make_patient(channel=ReminderPreference.EMAIL)
    plan = make_plan(patient, cycle_weeks=12, start_date=dt.date(2026, 8, 3))
    # What happens at the clinic, by clinic-local day (the sweep runs in between, every day).
    events = {
        dt.date(2026, 8, 3): lambda: sign(plan, local(2026, 8, 3, 10)),             # cycle 1: due 10-26
        dt.date(2026, 11, 4): lambda: make_appointment(patient, local(2026, 11, 9, 10), injection=True, plan=plan),
        dt.date(2026, 11, 9): lambda: sign(plan, local(2026, 11, 9, 10)),            # cycle 2: due 2027-02-01
        dt.date(2027, 1, 20): lambda: make_appointment(patient, local(2027, 2, 1, 10), injection=True, plan=plan),
        dt.date(2027, 2, 1): lambda: sign(plan, local(2027, 2, 1, 10)),              # cycle 3: due 04-26
    }
    day = dt.date(2026, 8, 3)
    while day <= dt.date(2027, 5, 31):
        for hour in (7, 10):  # before and inside the clinic's daytime
            time_machine.move_to(local(day.year, day.month, day.day, hour), tick=False)
            if hour == 10 and day in events:
                events[day]()
            outbox_pass()
        day += dt.timedelta(days=1)

    sent = [(r.kind, r.cycle_due_on, timezone.localtime(r.sent_at, CHICAGO))
            for r in Reminder.objects.filter(plan=plan, state=ReminderState.SENT).order_by("sent_at")]
    assert [(kind, due) for kind, due, _ in sent] == [
        ("cycle_due", dt.date(2026, 10, 26)),
        ("cycle_overdue", dt.date(2026, 10, 26)),  # 2026-11-02: the day after DST ended
        ("cycle_due", dt.date(2027, 2, 1)),
        ("cycle_due", dt.date(2027, 4, 26)),       # 2027-04-12: after DST began
        ("cycle_overdue", dt.date(2027, 4, 26)),
    ]
    assert [when.date() for _, _, when in sent] == [
        dt.date(2026, 10, 12), dt.date(2026, 11, 2), dt.date(2027, 1, 18), dt.date(2027, 4, 12), dt.date(2027, 5, 3)]
    assert all(when.hour == 10 for _, _, when in sent)  # the first sweep inside daytime, clinic clock
    assert not Reminder.objects.filter(plan=plan).exclude(state=ReminderState.SENT).exists()
    assert len([m for m in mailoutbox if "next visit" in m.subject]) == 5
