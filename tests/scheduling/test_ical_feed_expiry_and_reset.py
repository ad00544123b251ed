"""A calendar feed address expires (ICAL_FEED_MAX_AGE_DAYS after it was shown), and "Reset feed
address" turns every copy of the old one off at once, audited."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from scheduling.ical import feed_token
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now_before_monday")]


def _feed(token) -> int:
    return Client().get(reverse("scheduling:ical_feed", args=[token])).status_code  # no one signed in


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _reset(client, **data):
    return client.post(reverse("scheduling:calendar_feed_reset"), data)


def test_an_address_works_until_its_age_runs_out(clinician, time_machine):
    token = feed_token(clinician)
    time_machine.shift(dt.timedelta(days=179))
    assert _feed(token) == 200
    time_machine.shift(dt.timedelta(days=2))
    assert _feed(token) == 404


def test_the_age_is_a_setting(clinician, time_machine, settings):
    settings.ICAL_FEED_MAX_AGE_DAYS = 7
    token = feed_token(clinician)
    time_machine.shift(dt.timedelta(days=8))
    assert _feed(token) == 404


def test_the_page_says_until_when_the_address_works(clinician):
    page = _signed_in(clinician).get(reverse("scheduling:calendar_feed"))
    assert 'data-testid="feed-expiry"' in page.content.decode() and page.context["expires_on"] == dt.date(2026, 12, 9)


def test_a_reset_turns_the_old_address_off_at_once_and_is_audited(clinician):
    client, old = _signed_in(clinician), feed_token(clinician)
    response = _reset(client)
    assert response.status_code == 302 and response.url == reverse("scheduling:calendar_feed")
    assert _feed(old) == 404
    new = client.get(response.url).context["feed_url"].rsplit("/", 1)[-1].removesuffix(".ics")
    assert _feed(new) == 200
    event = AuditEvent.objects.get(action="scheduling.calendar_feed.reset")
    assert event.actor == clinician and event.changes["clinician"] == clinician.pk


def test_a_manager_resets_a_chosen_clinicians_address(clinician, make_clinician_at, location):
    other = make_clinician_at(location, "Dr. Other")
    mine, theirs = feed_token(clinician), feed_token(other)
    response = _reset(_signed_in(UserFactory(role=Role.MANAGER)), clinician=other.pk)
    assert response.url == f"{reverse('scheduling:calendar_feed')}?clinician={other.pk}"
    assert (_feed(mine), _feed(theirs)) == (200, 404)


def test_a_clinician_cannot_reset_another_clinicians_address(clinician, make_clinician_at, location):
    other = make_clinician_at(location, "Dr. Other")
    theirs = feed_token(other)
    _reset(_signed_in(clinician), clinician=other.pk)
    assert _feed(theirs) == 200


def test_the_front_desk_cannot_reset_and_a_get_changes_nothing(clinician, front_desk_client):
    token = feed_token(clinician)
    assert _reset(front_desk_client).status_code == 403
    assert _signed_in(clinician).get(reverse("scheduling:calendar_feed_reset")).status_code == 405
    assert _feed(token) == 200 and not AuditEvent.objects.filter(action__startswith="scheduling.calendar").exists()
