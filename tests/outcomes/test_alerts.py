"""The PHQ-9 item-9 worklist: each clinician sees their open alerts and acknowledges them once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from outcomes.models import AssessmentAlert
from tests.factories import TreatmentPlanFactory, UserFactory

from .conftest import phq9, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(clinician_user, plan):
    return record(clinician_user, plan, "phq9", phq9(item9=1), dt.date(2025, 3, 1)).alert


def test_the_worklist_lists_my_open_alerts_and_not_other_clinicians(clinician_client, alert):
    other_plan = TreatmentPlanFactory(patient__last_name="Elsewhere")
    record(other_plan.responsible_clinician, other_plan, "phq9", phq9(item9=3), dt.date(2025, 3, 1))
    html = clinician_client.get(reverse("outcomes:alerts")).content.decode()
    assert alert.patient.display_name in html and "Elsewhere" not in html


def test_the_worklist_query_count_does_not_grow_with_alerts(clinician_client, clinician_user, plan,
                                                           django_assert_max_num_queries):
    for _ in range(10):
        record(clinician_user, plan, "phq9", phq9(item9=1), dt.date(2025, 3, 1))
    with django_assert_max_num_queries(8):
        page = clinician_client.get(reverse("outcomes:alerts"))
    assert page.content.decode().count("Acknowledge") == 10


def test_acknowledging_closes_the_alert_once_and_is_audited(clinician_client, alert):
    url = reverse("outcomes:alert_acknowledge", args=[alert.pk])
    assert clinician_client.post(url).status_code == 302
    clinician_client.post(url)
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None and alert.acknowledged_by.username == "clinician"
    assert AuditEvent.objects.filter(action="outcomes.alert.acknowledged").count() == 1
    assert "No open alerts" in clinician_client.get(reverse("outcomes:alerts")).content.decode()


def test_another_clinician_cannot_acknowledge_my_alert(client, alert):
    client.force_login(UserFactory(role=Role.CLINICIAN))
    assert client.post(reverse("outcomes:alert_acknowledge", args=[alert.pk])).status_code == 403
    assert AssessmentAlert.objects.get(pk=alert.pk).acknowledged_at is None


def test_the_front_desk_cannot_open_the_worklist(front_desk_client, alert):
    assert front_desk_client.get(reverse("outcomes:alerts")).status_code == 403


def test_the_alert_shows_on_the_chart_for_the_clinician(clinician_client, alert):
    html = clinician_client.get(reverse("patients:detail", args=[alert.patient_id])).content.decode()
    assert 'data-testid="outcome-alert"' in html and "PHQ-9 item 9" in html
