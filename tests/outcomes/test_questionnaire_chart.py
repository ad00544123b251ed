"""On the patient chart, patient-reported scores are marked (table badge, hollow dot and legend)
and the next visit's questionnaire shows as not started, partly answered or completed, for a
query count that does not grow (tests/treatments/test_pages_chart.py pins it)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .questionnaire_scene import MIGRAINE_ANSWERS, invite, send_step

pytestmark = pytest.mark.django_db


def chart(client, plan) -> str:
    return client.get(reverse("patients:detail", kwargs={"pk": plan.patient_id})).content.decode()


def test_the_chart_shows_the_questionnaire_status_as_it_progresses(clinician_client, plan):
    invitation = invite(plan)
    patient = Client()
    assert "not started" in chart(clinician_client, plan)
    send_step(patient, invitation, "headache_days", {"days": 5}, save=True)
    assert "partly answered" in chart(clinician_client, plan)
    for code in invitation.instruments:
        send_step(patient, invitation, code, MIGRAINE_ANSWERS[code])
    html = chart(clinician_client, plan)
    assert 'data-testid="questionnaire-status"' in html and "completed" in html


def test_patient_reported_scores_are_marked_in_the_table_and_the_chart(clinician_client, plan):
    invitation = invite(plan)
    for code in invitation.instruments:
        send_step(Client(), invitation, code, MIGRAINE_ANSWERS[code])
    html = chart(clinician_client, plan)
    rows = html.split('data-testid="score-row"')[1:]
    assert len(rows) == 4 and all("patient-reported" in row.split("</tr>")[0] for row in rows)
    assert html.count('data-testid="patient-reported-dot"') == 4
    assert html.count('data-testid="patient-reported-legend"') == 4


def test_a_questionnaire_and_its_scores_add_no_queries_to_the_chart(clinician_client, plan):
    chart(clinician_client, plan)  # warm the session
    before = chart_queries(clinician_client, plan)
    invitation = invite(plan)
    for code in invitation.instruments:
        send_step(Client(), invitation, code, MIGRAINE_ANSWERS[code])
    assert chart_queries(clinician_client, plan) == before


def chart_queries(client, plan) -> int:
    with CaptureQueriesContext(connection) as queries:
        chart(client, plan)
    return len(queries)
