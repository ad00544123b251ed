"""A signed-in screen left alone for 30 minutes is signed out; activity keeps it signed in."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

START = dt.datetime(2025, 3, 4, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def signed_in(front_desk_user):
    with time_machine.travel(START, tick=False) as traveller:
        client = Client()
        response = client.post(reverse("login"), {"username": "frontdesk", "password": "correct-horse-battery"})
        assert response.status_code == 302
        assert client.get(reverse("patients:list")).status_code == 200
        yield client, traveller


def _is_signed_out(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("login"))


def test_idle_logoff_is_thirty_minutes_without_saving_the_session_on_every_request():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert not settings.SESSION_SAVE_EVERY_REQUEST


def test_thirty_one_idle_minutes_sign_the_user_out(signed_in):
    client, traveller = signed_in
    traveller.shift(dt.timedelta(minutes=31))
    assert _is_signed_out(client.get(reverse("patients:list")))


def test_twenty_nine_idle_minutes_keep_the_user_signed_in(signed_in):
    client, traveller = signed_in
    traveller.shift(dt.timedelta(minutes=29))
    assert client.get(reverse("patients:list")).status_code == 200


def test_each_request_restarts_the_idle_clock(signed_in):
    client, traveller = signed_in
    for _ in range(3):  # 87 minutes in all, never 30 idle
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("patients:list")).status_code == 200
    traveller.shift(dt.timedelta(minutes=31))
    assert _is_signed_out(client.get(reverse("patients:list")))


def _session_writes(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("patients:list")).status_code == 200
    return sum(1 for query in queries if query["sql"].startswith("UPDATE") and "django_session" in query["sql"])


def test_the_session_is_saved_at_most_once_a_minute(signed_in):
    client, traveller = signed_in
    traveller.shift(dt.timedelta(seconds=30))
    assert _session_writes(client) == 0
    traveller.shift(dt.timedelta(seconds=31))  # a minute since the last save
    assert _session_writes(client) == 1
    assert _session_writes(client) == 0


def test_a_page_costs_three_queries_fewer_than_with_a_save_on_every_request(signed_in, settings):
    client, traveller = signed_in
    with CaptureQueriesContext(connection) as cheap:
        client.get(reverse("patients:list"))
    settings.SESSION_SAVE_EVERY_REQUEST = True  # the old rule
    with CaptureQueriesContext(connection) as saved:
        client.get(reverse("patients:list"))
    assert len(saved) - len(cheap) == 3  # savepoint, UPDATE django_session, release
