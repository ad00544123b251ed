"""The staff outbox: a tab per outcome, filters by patient and kind, clinic-local times, and a
query count that does not grow with the rows on the page. Front desk and managers only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reminders.models import Reminder, ReminderKind, ReminderState
from tests.factories import PatientFactory, TreatmentPlanFactory

from .conftest import local

pytestmark = pytest.mark.django_db
OUTBOX = reverse("outbox:list")


def make_reminders(count: int, *, patient=None, state: str = ReminderState.SCHEDULED,
                   kind: str = ReminderKind.CYCLE_DUE, **fields) -> list[Reminder]:
    """``count`` cycle reminders for one plan (one per cycle due date), in ``state``."""
    plan = TreatmentPlanFactory(**({"patient": patient} if patient else {}))
    now = local(2030, 6, 3, 11)
    return Reminder.objects.bulk_create([
        Reminder(patient=plan.patient, plan=plan, kind=kind, channel="sms", state=state,
                 cycle_due_on=dt.date(2030, 6, 17) + dt.timedelta(weeks=12 * n), due_at=now, created_at=now,
                 updated_at=now, **fields)
        for n in range(count)
    ])


def rows(response) -> int:
    return response.content.decode().count('data-testid="outbox-row"')


def test_the_front_desk_sees_upcoming_reminders_by_default(front_desk_client):
    make_reminders(2)
    make_reminders(1, state=ReminderState.SENT, sent_at=local(2030, 6, 3, 11))
    response = front_desk_client.get(OUTBOX)
    assert response.status_code == 200 and rows(response) == 2


@pytest.mark.parametrize("tab, state", [
    ("sent", ReminderState.SENT), ("failed", ReminderState.FAILED), ("skipped", ReminderState.SKIPPED),
    ("missed", ReminderState.MISSED), ("cancelled", ReminderState.CANCELLED), ("upcoming", ReminderState.SENDING),
])
def test_each_tab_shows_its_outcome(manager_client, tab, state):
    make_reminders(3, state=state, skip_reason="no sms consent", last_error="Twilio 400 (code 21211): bad number")
    make_reminders(1, state=ReminderState.SCHEDULED if state != ReminderState.SCHEDULED else ReminderState.SENT)
    response = manager_client.get(OUTBOX, {"tab": tab})
    assert rows(response) == 3 + (tab == "upcoming")
    assert "no sms consent" in response.content.decode()


def test_a_failed_row_shows_its_last_error_attempts_and_clinic_local_times(front_desk_client):
    make_reminders(1, state=ReminderState.FAILED, attempts=8, last_error="gave up after 8 attempts: Twilio 503")
    html = front_desk_client.get(OUTBOX, {"tab": "failed"}).content.decode()
    assert "gave up after 8 attempts: Twilio 503" in html
    assert "<td>8</td>" in html
    assert "Jun 3, 2030, 11:00 AM" in html  # 16:00 UTC shown in Chicago time
    assert 'data-testid="send-again"' in html


def test_filters_by_patient_mrn_or_name_and_by_kind(front_desk_client):
    quill = PatientFactory(first_name="Ada", last_name="Quillfeather")
    make_reminders(2, patient=quill)
    make_reminders(3)
    make_reminders(1, patient=quill, kind=ReminderKind.CYCLE_OVERDUE)
    assert rows(front_desk_client.get(OUTBOX, {"q": quill.mrn})) == 3
    assert rows(front_desk_client.get(OUTBOX, {"q": "quillf"})) == 3
    assert rows(front_desk_client.get(OUTBOX, {"q": "Quillfeather", "kind": ReminderKind.CYCLE_OVERDUE})) == 1


def test_the_page_costs_the_same_queries_with_5_and_with_60_rows(front_desk_client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = front_desk_client.get(OUTBOX, {"tab": "failed"})
        assert response.status_code == 200
        return len(captured)

    make_reminders(5, state=ReminderState.FAILED, needs_review=True)
    front_desk_client.get(OUTBOX)  # warm the session
    at_five = queries()
    for _ in range(11):
        make_reminders(5, state=ReminderState.FAILED, needs_review=True)
    assert queries() == at_five


def test_pages_hold_fifty_rows(front_desk_client):
    make_reminders(60)
    assert rows(front_desk_client.get(OUTBOX)) == 50
    assert rows(front_desk_client.get(OUTBOX, {"page": 2})) == 10


def test_clinicians_are_not_shown_the_outbox(clinician_client):
    assert clinician_client.get(OUTBOX).status_code == 403


def test_the_patient_page_shows_the_latest_twenty_reminders(front_desk_client):
    patient = PatientFactory()
    make_reminders(25, patient=patient, state=ReminderState.SENT, sent_at=local(2030, 6, 3, 11))
    html = front_desk_client.get(reverse("patients:detail", kwargs={"pk": patient.pk})).content.decode()
    assert html.count('data-testid="reminder-history-row"') == 20
    assert "Next cycle coming up" in html
