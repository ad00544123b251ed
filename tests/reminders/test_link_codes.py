"""Link codes have one length whatever the reminder's id (so every SMS has a constant budget),
carry at least 64 random bits, and a message sent again carries the same links. Links sent in the
old signed-token format keep working, once, until they expire by themselves."""

from __future__ import annotations

import datetime as dt
import math
import re

import pytest

from reminders.links import CODE_ALPHABET, CODE_LENGTH, LinkPurpose, link_code_new, link_codes_issue, signed_link_token
from reminders.models import LinkCode, Reminder, ReminderKind
from reminders.sweep import reminders_create
from scheduling.models import Appointment

from .conftest import local, outbox_pass

pytestmark = pytest.mark.django_db
NOW = local(2026, 6, 15, 11)
CODE_IN_SMS = re.compile(r"https://clinic\.example/p/c/([^/ ]+)/")


def test_codes_carry_at_least_64_random_bits_from_the_base32_alphabet():
    assert CODE_LENGTH * math.log2(len(set(CODE_ALPHABET))) >= 64
    codes = {link_code_new() for _ in range(500)}
    assert len(codes) == 500
    assert all(len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET) for code in codes)


def test_every_sms_has_the_same_length_whatever_the_reminder_id(time_machine, make_patient, make_appointment,
                                                               sms_file):
    time_machine.move_to(NOW, tick=False)
    for _ in range(2):
        make_appointment(make_patient(), local(2026, 6, 16, 10))
    reminders_create(NOW)
    # One row's id as after years of reminders: the old tokens grew with it.
    late = Reminder.objects.filter(channel="sms", kind=ReminderKind.APPOINTMENT).order_by("pk").last()
    Reminder.objects.filter(pk=late.pk).update(id=10**12)
    outbox_pass()
    bodies = [message["body"] for message in sms_file()]
    codes = [CODE_IN_SMS.search(body).group(1) for body in bodies]
    assert len(bodies) == 2 and len({len(body) for body in bodies}) == 1
    assert {len(code) for code in codes} == {CODE_LENGTH}
    assert set(LinkCode.objects.filter(purpose=LinkPurpose.CONFIRM).values_list("code", flat=True)) >= set(codes)


def test_a_message_rendered_again_carries_the_same_links(make_patient, make_appointment, time_machine):
    time_machine.move_to(NOW, tick=False)
    make_appointment(make_patient(), local(2026, 6, 19, 10))
    reminders_create(NOW)
    reminder = Reminder.objects.get(kind=ReminderKind.BOOKING_CONFIRMATION)
    first = link_codes_issue([reminder])
    assert link_codes_issue([reminder]) == first
    assert set(first[reminder.pk]) == {LinkPurpose.CONFIRM, LinkPurpose.CANCEL, LinkPurpose.OPT_OUT}
    assert len(set(first[reminder.pk].values())) == 3  # one code per purpose


@pytest.fixture
def reminder(time_machine, make_patient, make_appointment):
    time_machine.move_to(NOW, tick=False)
    make_appointment(make_patient(), local(2026, 6, 19, 10))
    reminders_create(NOW)
    return Reminder.objects.get(kind=ReminderKind.BOOKING_CONFIRMATION)


def test_a_link_sent_before_codes_still_confirms_once(client, reminder):
    url = f"/p/c/{signed_link_token(LinkPurpose.CONFIRM, reminder.pk)}/"
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 200
    assert Appointment.objects.get(pk=reminder.appointment_id).status == "confirmed"
    assert client.post(url).status_code == 410


def test_a_link_sent_before_codes_is_refused_when_tampered_or_expired(client, reminder, time_machine):
    token = signed_link_token(LinkPurpose.CANCEL, reminder.pk)
    assert client.post(f"/p/x/{token[:-1]}{'A' if token[-1] != 'A' else 'B'}/").status_code == 404
    old = signed_link_token(LinkPurpose.OPT_OUT, reminder.pk)
    time_machine.move_to(NOW + dt.timedelta(days=31), tick=False)
    assert client.get(f"/p/o/{old}/").status_code == 410
    assert Appointment.objects.get(pk=reminder.appointment_id).status == "booked"
