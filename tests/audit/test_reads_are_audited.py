"""Every page and export that shows PHI records the read: who, what, which patients (or how
many), when. A search term is never stored in clear, only as its keyed digest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.services import staff_user_create
from audit.keyed import term_digest
from audit.models import AuditEvent
from tests.factories import PatientFactory, SessionVialFactory, TreatmentPlanFactory, signed_session_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(clinician_user):
    plan = TreatmentPlanFactory(responsible_clinician=clinician_user)
    return signed_session_make(plan=plan, performed_at=timezone.now() - dt.timedelta(days=1))


@pytest.fixture
def admin_client() -> tuple[Client, object]:
    manager = staff_user_create(username="head", password="violet-harbour-lantern-42", role=Role.MANAGER)
    client = Client()
    client.force_login(manager)
    return client, manager


def _read(action: str) -> AuditEvent:
    event = AuditEvent.objects.get(action=action)
    assert event.sequence is None and event.occurred_at is not None  # logged now, sealed by beat
    return event


def _patients(event: AuditEvent) -> list[int]:
    return event.changes["patients"][1]


def test_opening_an_injection_session_is_recorded(clinician_client, clinician_user, signed):
    assert clinician_client.get(reverse("treatments:session_detail", args=[signed.pk])).status_code == 200
    event = _read("treatments.session.viewed")
    assert (event.actor, event.patient_id, event.object_id) == (clinician_user, signed.patient_id, str(signed.pk))


@pytest.mark.parametrize("page", ["lot_recipients", "lot_recipients_csv"])
def test_the_lot_recipients_page_and_csv_record_which_patients(clinician_client, clinician_user, page):
    vials = SessionVialFactory.create_batch(2)
    vials.append(SessionVialFactory(lot=vials[0].lot))
    lot = vials[0].lot
    assert clinician_client.get(reverse(f"treatments:{page}", args=[lot.pk])).status_code == 200
    event = _read("treatments.lot.recipients_exported" if page.endswith("csv") else "treatments.lot.recipients_viewed")
    assert event.actor == clinician_user and event.object_id == str(lot.pk)
    assert _patients(event) == sorted({vials[0].session.patient_id, vials[2].session.patient_id})


def test_a_session_billing_csv_records_the_patient(clinician_client, signed):
    assert clinician_client.get(reverse("treatments:session_billing_csv", args=[signed.pk])).status_code == 200
    event = _read("treatments.billing.exported")
    assert (event.patient_id, event.object_id) == (signed.patient_id, str(signed.pk))


def test_the_billing_export_records_the_range_and_which_patients(clinician_client, signed):
    day = timezone.localdate(signed.performed_at)
    response = clinician_client.get(reverse("treatments:billing_export"), {"since": day, "until": day})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    event = _read("treatments.billing.exported")
    assert _patients(event) == [signed.patient_id]
    assert (event.changes["since"][1], event.changes["until"][1]) == (day.isoformat(), day.isoformat())


def test_the_outcomes_report_csv_is_recorded_with_its_filters(clinician_client, clinician_user):
    clinician_client.get(reverse("outcomes:report"))
    assert not AuditEvent.objects.exists()  # the page shows clinic-wide figures only
    assert clinician_client.get(reverse("outcomes:report"), {"format": "csv", "since": "2030-01-01"}).status_code == 200
    event = _read("outcomes.report.exported")
    assert event.actor == clinician_user and event.changes["since"] == [None, "2030-01-01"]


def test_a_patient_search_records_who_was_shown_and_never_the_term(front_desk_client, front_desk_user):
    found = PatientFactory(last_name="Okonkwo")
    PatientFactory(last_name="Lindqvist")
    assert front_desk_client.get(reverse("patients:list"), {"q": "okonkwo"}).status_code == 200
    event = _read("patients.patient.listed")
    assert event.actor == front_desk_user
    assert (_patients(event), event.changes["matches"][1]) == ([found.pk], 1)
    assert event.changes["search_term_digest"][1] == term_digest("Okonkwo ")  # same term, however typed
    assert "okonkwo" not in str(event.changes).lower()


@pytest.mark.parametrize("model", ["patients_patient", "treatments_injectionsession"])
def test_admin_list_and_record_pages_record_which_patients(admin_client, signed, model):
    client, manager = admin_client
    record = signed.patient if model == "patients_patient" else signed
    assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200
    listed = _read(f"{model.replace('_', '.', 1)}.admin_listed")
    assert listed.actor == manager and signed.patient_id in _patients(listed)
    assert client.get(reverse(f"admin:{model}_change", args=[record.pk])).status_code == 200
    viewed = _read(f"{model.replace('_', '.', 1)}.admin_viewed")
    assert (viewed.actor, viewed.patient_id, viewed.object_id) == (manager, signed.patient_id, str(record.pk))
