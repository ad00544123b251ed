"""Reliability row "Rolled-back booking": when the booking transaction fails, nothing is queued or sent."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.db import transaction
from django.utils import timezone

from reminders.models import Reminder
from reminders.services import reminders_for_appointment_sync
from reminders.sweep import sweep
from scheduling.models import Appointment
from scheduling.services import appointment_book

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


class BookingFailed(Exception):
    pass


def test_a_rolled_back_booking_queues_and_sends_nothing(celery_worker, smtp_inbox, booking_scene, make_patient):
    patient, scene = make_patient(), booking_scene
    with pytest.raises(BookingFailed), transaction.atomic():
        appointment = appointment_book(actor=scene["clinician"], patient=patient, clinician=scene["clinician"],
                                       room=scene["room"], appointment_type=scene["kind"],
                                       start_at=timezone.now() + dt.timedelta(hours=20))
        reminders_for_appointment_sync(appointment_id=appointment.pk)
        assert Reminder.objects.filter(appointment=appointment).count() == 3  # confirmation, email, SMS
        raise BookingFailed  # e.g. a later step of the same request fails

    assert not Appointment.objects.exists()
    assert not Reminder.objects.exists()
    assert sweep().published == 0
    time.sleep(1)  # the worker is running: give anything wrongly queued time to arrive
    assert smtp_inbox.messages == []
