"""Emails in the patient's preferred language where a translation exists, else English; the
Spanish ones follow the same content rules (no product, diagnosis or dose)."""

from __future__ import annotations

import datetime as dt

import pytest

from patients.models import ReminderPreference
from reminders.content import email_for
from reminders.links import link_codes_issue
from reminders.models import Reminder, ReminderKind
from reminders.sweep import reminders_create

from .conftest import PRODUCT_AND_DIAGNOSIS_WORDS, book, local

pytestmark = pytest.mark.django_db
NOW = local(2030, 6, 3, 11)


@pytest.fixture(autouse=True)
def _now(time_machine, settings):
    time_machine.move_to(NOW, tick=False)
    settings.REMINDERS_PUBLIC_BASE_URL = "https://clinic.example"


def appointment_emails(booking_scene, patient) -> dict[str, object]:
    appointment = book(booking_scene, patient, local(2030, 6, 4, 10))  # Tuesday: the email reminder is due
    rows = Reminder.objects.filter(appointment=appointment, channel="email").select_related("patient", "appointment")
    links = link_codes_issue(rows)
    return {row.kind: email_for(row, links=links[row.pk]) for row in rows}


def cycle_email(make_patient, make_plan, sign, language: str):
    plan = make_plan(make_patient(channel=ReminderPreference.EMAIL, preferred_language=language))
    sign(plan, NOW - dt.timedelta(weeks=12, days=-10))  # due Thursday 13 June 2030
    reminders_create(NOW)
    row = Reminder.objects.select_related("patient").get(plan=plan)
    return email_for(row, links=link_codes_issue([row])[row.pk])


def test_spanish_patients_get_spanish_appointment_and_booking_emails(booking_scene, make_patient):
    emails = appointment_emails(booking_scene, make_patient(preferred_language="es"))
    reminder, confirmation = emails[ReminderKind.APPOINTMENT], emails[ReminderKind.BOOKING_CONFIRMATION]
    assert reminder.subject.startswith("Su cita en") and "4 jun a las 10:00" in reminder.subject
    assert "martes 4 de junio de 2030 a las 10:00" in reminder.text
    assert "Confirmar que vendrá" in reminder.html and 'lang="es"' in reminder.html
    assert confirmation.subject.startswith("Su cita está reservada")
    assert "está reservada para el martes 4 de junio de 2030" in confirmation.text


def test_spanish_cycle_email(make_patient, make_plan, sign):
    email = cycle_email(make_patient, make_plan, sign, "es")
    assert email.subject.startswith("Es hora de reservar")
    assert "jueves 13 de junio de 2030" in email.text and "jueves 13 de junio de 2030" in email.html
    assert "Dejar de recibir recordatorios" in email.text


def test_english_stays_english(booking_scene, make_patient, make_plan, sign):
    emails = appointment_emails(booking_scene, make_patient(preferred_language="en"))
    assert "Tuesday, June 4, 2030 at 10:00 AM" in emails[ReminderKind.APPOINTMENT].text
    assert cycle_email(make_patient, make_plan, sign, "en").subject.startswith("Time to book")


def test_a_language_without_a_translation_falls_back_to_english(make_patient, make_plan, sign):
    email = cycle_email(make_patient, make_plan, sign, "fr")
    assert email.subject.startswith("Time to book") and "Thursday, June 13, 2030" in email.text


def test_spanish_emails_name_no_product_or_diagnosis(booking_scene, make_patient, make_plan, sign):
    emails = [*appointment_emails(booking_scene, make_patient(preferred_language="es")).values(),
              cycle_email(make_patient, make_plan, sign, "es")]
    for email in emails:
        for part in (email.subject, email.text, email.html):
            assert not any(word in part.lower() for word in PRODUCT_AND_DIAGNOSIS_WORDS)
