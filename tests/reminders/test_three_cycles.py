"""One plan walked through three cycles across both DST changes: the reminder 14 days before each
due date, the overdue one 7 days after unless booked, nothing once booked, and each signed session
starting the next cycle.

The sweep runs on the days something happens (see ``sweep_days``), not on all 302: every row a
daily sweep would create is still created, and a reminder that went out on any other day than the
one expected would have gone out on one of the days swept and show in the dates asserted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from patients.models import ReminderPreference
from reminders.models import Reminder, ReminderState

from .conftest import CHICAGO, local, outbox_pass

pytestmark = pytest.mark.django_db

FIRST_DAY, LAST_DAY = dt.date(2026, 8, 3), dt.date(2027, 5, 31)
# The clinic-local days a reminder should go out: 14 days before each due date, 7 days after.
EXPECTED_SEND_DAYS = [dt.date(2026, 10, 12), dt.date(2026, 11, 2), dt.date(2027, 1, 18), dt.date(2027, 4, 12),
                      dt.date(2027, 5, 3)]


def sweep_days(event_days: set[dt.date]) -> dict[dt.date, tuple[int, ...]]:
    """{day: the clinic-local hours the sweep runs then}.

    - Every ``REMINDERS_CATCH_UP_DAYS`` days from the first to the last: the sweep creates what
      has come due in that many days (as after a beat outage), so every row that the minute-by-minute
      sweep would create is created, and any unexpected one shows as sent or missed.
    - Each event day, after the event.
    - Each expected send day at 07:00 (before daytime: nothing may go) and 10:00, and the day
      before it: a reminder due any earlier than expected goes out then, on the wrong day.
    """
    ticks = range(0, (LAST_DAY - FIRST_DAY).days + 1, settings.REMINDERS_CATCH_UP_DAYS)
    days: dict[dt.date, tuple[int, ...]] = {FIRST_DAY + dt.timedelta(days=n): (10,) for n in ticks}
    days |= dict.fromkeys(event_days, (10,))
    days |= {day - dt.timedelta(days=1): (7, 10) for day in EXPECTED_SEND_DAYS}
    days |= dict.fromkeys(EXPECTED_SEND_DAYS, (7, 10))
    days[LAST_DAY] = (7, 10)
    return dict(sorted(days.items()))


def test_three_cycles_across_daylight_saving(time_machine, make_patient, make_plan, sign, make_appointment,
                                             mailoutbox):
    patient = make_patient(channel=ReminderPreference.EMAIL)
    plan = make_plan(patient, cycle_weeks=12, start_date=FIRST_DAY)
    # What happens at the clinic, by clinic-local day, at 10:00.
    events = {
        dt.date(2026, 8, 3): lambda: sign(plan, local(2026, 8, 3, 10)),             # cycle 1: due 10-26
        dt.date(2026, 11, 4): lambda: make_appointment(patient, local(2026, 11, 9, 10), injection=True, plan=plan),
        dt.date(2026, 11, 9): lambda: sign(plan, local(2026, 11, 9, 10)),            # cycle 2: due 2027-02-01
        dt.date(2027, 1, 20): lambda: make_appointment(patient, local(2027, 2, 1, 10), injection=True, plan=plan),
        dt.date(2027, 2, 1): lambda: sign(plan, local(2027, 2, 1, 10)),              # cycle 3: due 04-26
    }
    for day, hours in sweep_days(set(events)).items():
        for hour in hours:
            time_machine.move_to(local(day.year, day.month, day.day, hour), tick=False)
            if hour == 10 and day in events:
                events[day]()
            outbox_pass()

    sent = [(r.kind, r.cycle_due_on, timezone.localtime(r.sent_at, CHICAGO))
            for r in Reminder.objects.filter(plan=plan, state=ReminderState.SENT).order_by("sent_at")]
    assert [(kind, due) for kind, due, _ in sent] == [
        ("cycle_due", dt.date(2026, 10, 26)),
        ("cycle_overdue", dt.date(2026, 10, 26)),  # 2026-11-02: the day after DST ended
        ("cycle_due", dt.date(2027, 2, 1)),
        ("cycle_due", dt.date(2027, 4, 26)),       # 2027-04-12: after DST began
        ("cycle_overdue", dt.date(2027, 4, 26)),
    ]
    assert [when.date() for _, _, when in sent] == EXPECTED_SEND_DAYS
    assert all(when.hour == 10 for _, _, when in sent)  # the first sweep inside daytime, clinic clock
    assert not Reminder.objects.filter(plan=plan).exclude(state=ReminderState.SENT).exists()
    assert len([m for m in mailoutbox if "next visit" in m.subject]) == 5
