"""Who may see the report: clinicians and managers (clinical data); never the front desk."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
REPORT = reverse("outcomes:report")


@pytest.mark.parametrize("query", [{}, {"format": "csv"}])
def test_the_front_desk_and_a_user_with_no_role_are_refused(front_desk_client, no_role_client, scene, query):
    assert front_desk_client.get(REPORT, query).status_code == 403
    assert no_role_client.get(REPORT, query).status_code == 403


@pytest.mark.parametrize("query", [{}, {"format": "csv"}])
def test_an_anonymous_visitor_is_sent_to_sign_in(client, query):
    response = client.get(REPORT, query)
    assert response.status_code == 302 and response.url.startswith(reverse("login") + "?next=")


def test_clinicians_and_managers_see_it_and_its_nav_link(clinician_client, manager_client, scene):
    for client in (clinician_client, manager_client):
        response = client.get(REPORT)
        assert response.status_code == 200 and b"Chronic migraine" in response.content
        assert f'href="{REPORT}"'.encode() in client.get(reverse("patients:list")).content


def test_the_front_desk_has_no_nav_link(front_desk_client):
    assert f'href="{REPORT}"'.encode() not in front_desk_client.get(reverse("patients:list")).content
