"""The clinician's calendar feed: a signed URL, times and initials only, revoked by a password
change; and the page where the clinician copies it."""

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from scheduling.ical import feed_token
from scheduling.models import AppointmentStatus
from tests.factories import AppointmentFactory, PatientFactory

from .conftest import MONDAY, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now_before_monday")]


def _feed(token):
    return Client().get(reverse("scheduling:ical_feed", args=[token]))  # no one signed in


@pytest.fixture
def booked(clinician, room, make_plan):
    patient = PatientFactory(first_name="Maria", last_name="Lopez")
    plan = make_plan(patient, indication_code="test_migraine")
    return AppointmentFactory(clinician=clinician, room=room, patient=patient, plan=plan,
                              start_at=local(MONDAY, "10:00"))


def test_the_feed_has_times_rooms_and_initials_only(clinician, booked, room):
    AppointmentFactory(clinician=clinician, room=room, start_at=local(MONDAY, "11:00"),
                       status=AppointmentStatus.CANCELLED, cancelled_by="patient", cancelled_at=local(MONDAY, "8:00"),
                       cancel_reason="Away")
    response = _feed(feed_token(clinician))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 1  # the cancelled one is not shown
    event = events[0]
    assert str(event["summary"]) == "Patient M.L."
    assert event.decoded("dtstart") == local(MONDAY, "10:00")
    body = response.content.decode()
    for secret in ("Maria", "Lopez", "Migraine", booked.patient.mrn, "Testox"):
        assert secret not in body


def test_a_tampered_token_is_a_404_without_details(clinician, booked):
    token = feed_token(clinician)
    assert _feed(token[:-2] + ("AA" if token[-2:] != "AA" else "BB")).status_code == 404
    assert _feed("not-a-token").status_code == 404


def test_changing_the_password_turns_the_old_address_off(clinician, booked):
    token = feed_token(clinician)
    clinician.set_password("a-new-long-passphrase-2026")
    clinician.save()
    assert _feed(token).status_code == 404
    assert _feed(feed_token(clinician)).status_code == 200


def test_an_inactive_clinicians_feed_is_gone(clinician, booked):
    token = feed_token(clinician)
    clinician.is_active = False
    clinician.save()
    assert _feed(token).status_code == 404


def test_the_clinician_copies_their_own_address(clinician, booked):
    client = Client()
    client.force_login(clinician)
    response = client.get(reverse("scheduling:calendar_feed"))
    assert response.status_code == 200
    url = response.context["feed_url"]
    assert url.startswith("http://testserver/schedule/feed/") and 'data-copy-target="feed-url"' in \
        response.content.decode()
    assert _feed(url.rsplit("/", 1)[1].removesuffix(".ics")).status_code == 200


def test_a_manager_may_pick_a_clinician_and_the_front_desk_may_not_see_it(manager_client, front_desk_client,
                                                                           clinician):
    response = manager_client.get(reverse("scheduling:calendar_feed"), {"clinician": clinician.pk})
    assert response.context["clinician"] == clinician
    assert front_desk_client.get(reverse("scheduling:calendar_feed")).status_code == 403
