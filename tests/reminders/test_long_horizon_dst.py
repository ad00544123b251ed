"""Reliability row "Long horizon, DST": nothing waits in the broker (no eta/countdown beyond an hour
anywhere); an appointment booked 12 weeks ahead across a DST change gets each reminder once,
at clinic-local daytime."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from reminders.models import Reminder, ReminderKind, ReminderState

from .conftest import CHICAGO, book, local, outbox_pass

pytestmark = pytest.mark.django_db
PROJECT = Path(settings.BASE_DIR)


def test_no_eta_or_countdown_anywhere_in_the_code():
    sources = [path for path in PROJECT.rglob("*.py")
               if not {".venv", "node_modules", "var", "tests"}.intersection(path.relative_to(PROJECT).parts)]
    offenders = [f"{path}:{number}" for path in sources
                 for number, line in enumerate(path.read_text().splitlines(), 1)
                 if re.search(r"\b(eta|countdown)\s*=", line)]
    assert offenders == []


def test_twelve_weeks_ahead_across_spring_forward_sent_once_in_clinic_daytime(
    time_machine, booking_scene, make_patient, sms_file, mailoutbox
):
    time_machine.move_to(local(2027, 2, 1, 10), tick=False)  # CST, UTC-6
    patient = make_patient()
    appointment = book(booking_scene, patient, local(2027, 4, 26, 8, 30))  # CDT, UTC-5: 12 weeks on
    outbox_pass()

    # Weekly for the weeks in which nothing is due (the sweep creates what came due in the last
    # REMINDERS_CATCH_UP_DAYS days, so a row due in them would be created, and sent or missed),
    # then hourly for the last three days, when both reminders come due.
    hourly_from = (appointment.start_at - dt.timedelta(days=3)).replace(minute=0)  # on the hour, as before
    moment = timezone.now() + dt.timedelta(days=settings.REMINDERS_CATCH_UP_DAYS)
    while moment < appointment.start_at:
        time_machine.move_to(moment, tick=False)
        outbox_pass()
        weekly = moment + dt.timedelta(days=settings.REMINDERS_CATCH_UP_DAYS)
        moment = weekly if weekly < hourly_from else max(moment, hourly_from) + dt.timedelta(hours=1)

    sent = {r.kind + ":" + r.channel: r for r in Reminder.objects.filter(state=ReminderState.SENT)}
    assert sorted(sent) == ["appointment:email", "appointment:sms", "booking_confirmation:email"]
    assert Reminder.objects.exclude(state=ReminderState.SENT).count() == 0
    # Due 08:30 (quiet hours) on the 24th and 25th: both went out at 09:00 clinic time, in CDT.
    assert sent["appointment:email"].sent_at.astimezone(CHICAGO) == local(2027, 4, 24, 9, 0)
    assert sent["appointment:sms"].sent_at.astimezone(CHICAGO) == local(2027, 4, 25, 9, 0)
    assert len(sms_file()) == 1
    assert len(mailoutbox) == 2
    assert "Mon, Apr 26, 8:30 AM" in sms_file()[0]["body"]  # the time as the patient's clock shows it
    assert Reminder.objects.get(kind=ReminderKind.APPOINTMENT, channel="sms").attempts == 1
