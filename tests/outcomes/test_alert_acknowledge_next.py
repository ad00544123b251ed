"""Acknowledging an alert follows ``next`` only to one of our pages: a URL name or another host
lands on the worklist, after the acknowledgement, instead of failing once it has committed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from outcomes.models import AssessmentAlert

from .conftest import phq9, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(clinician_user, plan):
    return record(clinician_user, plan, "phq9", phq9(item9=1), dt.date(2025, 3, 1)).alert


@pytest.mark.parametrize("bad_next", ["email", "outcomes:alerts", "https://evil.example/", "/no/such/page/"])
def test_a_bad_next_lands_on_the_worklist_with_the_alert_acknowledged(clinician_client, alert, bad_next):
    response = clinician_client.post(reverse("outcomes:alert_acknowledge", args=[alert.pk]), {"next": bad_next})
    assert response.status_code == 302 and response.url == reverse("outcomes:alerts")
    assert AssessmentAlert.objects.get(pk=alert.pk).acknowledged_at is not None


def test_the_chart_as_next_is_followed(clinician_client, alert):
    chart = reverse("patients:detail", args=[alert.patient_id]) + "#outcomes"
    response = clinician_client.post(reverse("outcomes:alert_acknowledge", args=[alert.pk]), {"next": chart})
    assert response.url == chart
