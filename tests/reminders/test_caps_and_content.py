"""Reliability row "Caps and content": several SMS due in one week → at most 1 a day and 3 a week;
each ≤160 characters; clinic name, time, phone and a link, no product or diagnosis."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from patients.models import Language, ReminderPreference
from reminders.models import Reminder, ReminderState
from reminders.sms_encoding import sms_size

from .conftest import PRODUCT_AND_DIAGNOSIS_WORDS, local, outbox_pass

pytestmark = pytest.mark.django_db


def test_five_due_in_one_week_go_out_one_a_day_and_three_a_week(
    time_machine, make_patient, make_plan, sign, sms_file
):
    patient = make_patient(channel=ReminderPreference.SMS)
    for _ in range(5):  # five plans whose cycles come due together
        sign(make_plan(patient), local(2026, 3, 2))
    time_machine.move_to(local(2026, 5, 11, 8), tick=False)
    for hour in range(0, 14 * 24, 3):
        time_machine.move_to(local(2026, 5, 11, 8) + dt.timedelta(hours=hour), tick=False)
        outbox_pass()

    days = [timezone.localtime(r.sent_at).date() for r in Reminder.objects.filter(state=ReminderState.SENT)]
    per_day = Counter(days)
    assert max(per_day.values()) == 1
    for first in per_day:
        assert sum(n for day, n in per_day.items() if first <= day < first + dt.timedelta(days=7)) <= 3
    # 11, 12, 13 May; the week's three are used up until the 11th leaves the window: 18, 19 May.
    assert len(sms_file()) == len(days) == 5
    assert sorted(days) == [dt.date(2026, 5, d) for d in (11, 12, 13, 18, 19)]


@pytest.mark.parametrize("language", [Language.ENGLISH, Language.SPANISH])
def test_every_sms_is_short_and_says_only_what_it_must(
    language, time_machine, make_patient, make_plan, sign, make_appointment, sms_file, settings
):
    settings.CLINIC_NAME = "Lakeside Neurology Clinic"
    time_machine.move_to(local(2026, 5, 11, 10), tick=False)
    for kind in ("cycle", "appointment"):
        patient = make_patient(channel=ReminderPreference.SMS, preferred_language=language)
        if kind == "cycle":
            sign(make_plan(patient), local(2026, 3, 2))
        else:
            make_appointment(patient, local(2026, 5, 12, 9, 45))
    outbox_pass()

    bodies = [message["body"] for message in sms_file()]
    assert len(bodies) == 2
    for body in bodies:
        size = sms_size(body)
        assert (size.encoding, size.segments) == ("GSM-7", 1) and size.units <= 160
        assert settings.CLINIC_NAME in body and settings.CLINIC_PHONE in body
        assert "https://clinic.example/p/" in body
        assert "STOP" in body or "/p/o/" in body  # says how to opt out
        assert not any(word in body.lower() for word in PRODUCT_AND_DIAGNOSIS_WORDS)
    appointment_body = next(body for body in bodies if "/p/c/" in body)
    assert ("Tue, May 12, 9:45 AM" if language == "en" else "12 may, 09:45") in appointment_body
    if language == "es":
        assert "cita" in appointment_body


def test_the_emails_carry_text_html_and_a_calendar_entry_without_clinical_detail(
    time_machine, make_patient, make_appointment, mailoutbox, sms_file
):
    time_machine.move_to(local(2026, 5, 11, 10), tick=False)
    patient = make_patient(channel=ReminderPreference.EMAIL, consent=("email",))
    make_appointment(patient, local(2026, 5, 14, 9, 45))
    outbox_pass()

    assert len(mailoutbox) == 1  # the booking confirmation (the reminder proper comes 48 h before)
    email = mailoutbox[0]
    html = email.alternatives[0][0]
    (name, ics, mimetype), = email.attachments
    assert (name, mimetype) == ("appointment.ics", "text/calendar")
    assert "DTSTART:20260514T144500Z" in ics
    for text in (email.subject, email.body, html, ics):
        assert not any(word in text.lower() for word in PRODUCT_AND_DIAGNOSIS_WORDS)
    assert "Thursday, May 14, 2026 at 9:45 AM" in email.body
    assert "/p/x/" in email.body and "/p/o/" in html
    assert patient.last_name not in email.body
