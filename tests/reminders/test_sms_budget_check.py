"""Reliability row "SMS fits": every SMS template in every language, with the configured clinic name,
phone and base URL, the longest date and time and a link code, fits one segment; a setting that
breaks that stops the process at start-up, naming the template and the overflow."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from reminders.checks import sms_budgets, sms_templates_fit_one_segment, sms_worst_context
from reminders.content import _context
from reminders.links import link_codes_issue
from reminders.models import Reminder

from .conftest import local, outbox_pass

REALISTIC_BASE_URL = "https://care.lakesideneuro.org"  # 30 characters
EVERY_SMS = {(name, language) for name in ("appointment_reminder", "cycle_due", "cycle_overdue",
                                           "opt_out_confirmation") for language in ("en", "es")}


def test_every_template_in_every_language_fits_one_gsm7_segment_at_its_longest(settings):
    settings.REMINDERS_PUBLIC_BASE_URL = REALISTIC_BASE_URL
    budgets = sms_budgets()
    assert {(budget.template, budget.language) for budget in budgets} == EVERY_SMS
    for budget in budgets:
        assert (budget.size.encoding, budget.size.segments) == ("GSM-7", 1), budget
        assert REALISTIC_BASE_URL in budget.text or budget.template == "opt_out_confirmation"
    assert sms_templates_fit_one_segment() == []


def test_the_longest_date_and_time_are_the_longest_a_language_writes():
    assert (len(sms_worst_context("en")["date"]), sms_worst_context("en")["time"][-3:]) == (len("Wed, Sep 30"), " AM")
    assert len(sms_worst_context("en")["time"]) == len("10:00 AM")
    assert (len(sms_worst_context("es")["date"]), len(sms_worst_context("es")["time"])) == (len("10 ene"), 5)


def test_a_clinic_name_too_long_for_one_segment_is_named_with_its_overflow(settings):
    settings.REMINDERS_PUBLIC_BASE_URL = REALISTIC_BASE_URL
    settings.CLINIC_NAME = "Lakeside Regional Neurology and Headache Clinic"  # 47 characters
    errors = sms_templates_fit_one_segment()
    overflowing = {(b.template, b.language): b for b in sms_budgets() if b.size.segments > 1}
    assert ("appointment_reminder", "en") in overflowing
    assert len(errors) == len(overflowing)
    budget = overflowing["appointment_reminder", "en"]
    message = next(error.msg for error in errors if f"'{budget.template}' in '{budget.language}'" in error.msg)
    assert f"{budget.size.units - 160} over one segment" in message
    assert all(error.id == "reminders.E001" for error in errors)


@pytest.mark.django_db
def test_the_check_sees_every_value_a_message_can_carry(time_machine, make_patient, make_plan, sign,
                                                        make_appointment, sms_file):
    time_machine.move_to(local(2026, 5, 11, 10), tick=False)
    sign(make_plan(make_patient()), local(2026, 3, 2))
    make_appointment(make_patient(), local(2026, 5, 12, 9, 45))
    outbox_pass()
    for reminder in Reminder.objects.filter(channel="sms").select_related("patient", "appointment"):
        context = _context(reminder, link_codes_issue([reminder])[reminder.pk])
        assert set(context) <= set(sms_worst_context("en")), reminder.kind


def test_the_process_refuses_to_start_when_a_template_cannot_fit():
    environ = {"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "true", "DJANGO_SETTINGS_MODULE": "clinic.settings",
               "CLINIC_NAME": "Lakeside Regional Neurology and Headache Clinic of the Greater Lakes Area",
               "REMINDERS_PUBLIC_BASE_URL": REALISTIC_BASE_URL}
    result = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", "runserver", "--noreload", "127.0.0.1:0"], cwd=django_settings.BASE_DIR,
        env=environ, capture_output=True, text=True, timeout=90, check=False,
    )
    assert result.returncode != 0
    assert "reminders.E001" in result.stderr and "'appointment_reminder' in 'en'" in result.stderr
