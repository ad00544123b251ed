"""One way to show time: the day view, an appointment email and an SMS write the same instant with
the clinic's formats ("Dec 2, 2026", "9:10 AM"), in the clinic's zone, and in Spanish for Spanish patients."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from reminders.content import email_for, sms_text
from reminders.links import link_codes_issue
from reminders.models import Reminder, ReminderChannel, ReminderKind
from tests.factories import AppointmentFactory, PatientFactory

pytestmark = pytest.mark.django_db

DENVER = ZoneInfo("America/Denver")
# 16:10 UTC is 9:10 AM in Denver (UTC-7 in December): a zone other than the default Chicago.
VISIT = dt.datetime(2026, 12, 2, 16, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _denver_clinic(settings):
    settings.TIME_ZONE = "America/Denver"


def _reminder(channel: str, language: str) -> Reminder:
    appointment = AppointmentFactory(start_at=VISIT, patient=PatientFactory(preferred_language=language))
    return Reminder.objects.create(
        patient=appointment.patient, kind=ReminderKind.APPOINTMENT, channel=channel, appointment=appointment,
        appointment_start_at=VISIT, due_at=VISIT - dt.timedelta(days=2), created_at=VISIT, updated_at=VISIT)


def test_the_day_view_shows_the_us_date_and_12_hour_times(front_desk_client):
    AppointmentFactory(start_at=VISIT, end_at=VISIT + dt.timedelta(minutes=30))
    page = front_desk_client.get(f"{reverse('scheduling:day')}?date=2026-12-02").content.decode()
    assert "Wednesday, Dec 2, 2026" in page
    assert "9:10 AM–9:40 AM" in page
    assert "09:10" not in page and "2 Dec" not in page


def _email(language: str):
    reminder = _reminder(ReminderChannel.EMAIL, language)
    return email_for(reminder, links=link_codes_issue([reminder])[reminder.pk])


def _sms(language: str) -> str:
    reminder = _reminder(ReminderChannel.SMS, language)
    return sms_text(reminder, link_codes_issue([reminder])[reminder.pk])


def test_the_appointment_email_spells_out_the_day_with_the_same_time():
    email = _email("en")
    assert "on Wednesday, December 2, 2026 at 9:10 AM" in email.text
    assert "on Wed, Dec 2 at 9:10 AM" in email.subject


def test_the_sms_keeps_the_date_short():
    assert "visit Wed, Dec 2, 9:10 AM." in _sms("en")


def test_spanish_messages_use_the_spanish_formats():
    email = _email("es")
    assert "miércoles 2 de diciembre de 2026 a las 09:10" in email.text
    assert "cita 2 dic, 09:10." in _sms("es")
