"""After sign-in each role lands where its day starts: front desk and managers on today's day
view, a clinician on their own column of it (``?clinician=<id>``)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from tests.factories import LocationFactory, UserFactory, WorkingHoursFactory

from .conftest import password_step

pytestmark = pytest.mark.django_db


def _land(username: str) -> str:
    client = Client()
    response = password_step(client, username, follow=True)
    assert response.status_code == 200
    return response.redirect_chain[-1][0]


@pytest.mark.parametrize("persona", ["front_desk_user", "manager_user"])
def test_front_desk_and_managers_land_on_todays_day_view(request, persona):
    user = request.getfixturevalue(persona)
    assert _land(user.username) == reverse("scheduling:day")


def test_a_clinician_lands_on_their_own_day(clinician_user):
    location = LocationFactory()
    colleague = UserFactory(display_name="Dr. Colleague", role=Role.CLINICIAN)
    for person in (clinician_user, colleague):
        for weekday in range(7):
            WorkingHoursFactory(clinician=person, location=location, weekday=weekday)
    client = Client()
    response = password_step(client, "clinician", follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('scheduling:day')}?clinician={clinician_user.pk}"
    assert [column.clinician for column in response.context["columns"]] == [clinician_user]
    everyone = client.get(reverse("scheduling:day"))
    assert {column.clinician for column in everyone.context["columns"]} == {clinician_user, colleague}
