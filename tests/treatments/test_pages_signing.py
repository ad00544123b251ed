"""Signing from the page: warnings need a reason, hard findings block, a signed session is
read-only with addenda, and it has a billing summary."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.factories import TreatmentPlanFactory, VialLotFactory, signed_session_make
from treatments.models import SessionStatus

from .pages import editor_data, saved_sites, total

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(clinician_user):
    return TreatmentPlanFactory(responsible_clinician=clinician_user)


@pytest.fixture
def lot(db):
    return VialLotFactory(vial_units=200, quantity_received=10)


def _saved_draft(client, plan, lot, *, change=None, vials=1):
    client.post(reverse("treatments:session_start", kwargs={"pk": plan.pk}))
    session = plan.sessions.get(status=SessionStatus.DRAFT)
    sites = saved_sites(session)
    if change:
        sites[0] = (sites[0][0], sites[0][1], Decimal(change))
    data = {**editor_data(session=session, sites=sites, vials=[(lot, vials, "4")]), "sign": ""}
    response = client.post(reverse("treatments:session_detail", kwargs={"pk": session.pk}), data)
    assert response.status_code == 302 and response.url == reverse("treatments:session_sign", kwargs={"pk": session.pk})
    return session


def test_save_and_sign_with_no_warnings_signs_and_locks(clinician_client, plan, lot):
    session = _saved_draft(clinician_client, plan, lot)
    page = clinician_client.get(reverse("treatments:session_sign", kwargs={"pk": session.pk}))
    assert "No warnings." in page.content.decode()
    response = clinician_client.post(reverse("treatments:session_sign", kwargs={"pk": session.pk}))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.SIGNED
    signed_page = clinician_client.get(reverse("treatments:session_detail", kwargs={"pk": session.pk})).content.decode()
    assert 'name="sites-0-units"' not in signed_page and "Add addendum" in signed_page
    assert "155 U Botox" in signed_page


def test_a_warning_needs_a_written_reason_which_is_stored(clinician_client, plan, lot):
    signed_session_make(plan=plan, performed_at=dt.datetime.now(dt.UTC) - dt.timedelta(weeks=4))
    session = _saved_draft(clinician_client, plan, lot)
    url = reverse("treatments:session_sign", kwargs={"pk": session.pk})
    page = clinician_client.get(url).content.decode()
    assert "Only 28 days since the last signed session" in page and 'name="reason_retreatment_too_soon"' in page
    refused = clinician_client.post(url, {"reason_retreatment_too_soon": ""})
    assert refused.status_code == 200 and "Write why you are proceeding" in refused.content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.DRAFT
    clinician_client.post(url, {"reason_retreatment_too_soon": "Severe relapse; neurologist agreed"})
    session.refresh_from_db()
    assert session.status == SessionStatus.SIGNED
    assert session.overrides.get().reason == "Severe relapse; neurologist agreed"
    chart = clinician_client.get(reverse("patients:detail", kwargs={"pk": plan.patient.pk})).content.decode()
    assert "Severe relapse; neurologist agreed" in chart


def test_a_hard_finding_blocks_signing_with_a_clear_message(clinician_client, plan, lot):
    session = _saved_draft(clinician_client, plan, lot, change="255", vials=3)  # 405 U: over 400 U in 84 days
    url = reverse("treatments:session_sign", kwargs={"pk": session.pk})
    page = clinician_client.get(url).content.decode()
    assert "This session cannot be signed" in page and 'name="sign"' not in page
    response = clinician_client.post(url, {})
    assert response.status_code == 200 and "This session cannot be signed" in response.content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.DRAFT and total(session) == Decimal("405")


def test_a_signed_session_cannot_be_edited_and_takes_addenda(clinician_client, plan, lot):
    session = _saved_draft(clinician_client, plan, lot)
    clinician_client.post(reverse("treatments:session_sign", kwargs={"pk": session.pk}))
    data = editor_data(session=session, sites=saved_sites(session)[:1], vials=[(lot, 1, "4")])
    clinician_client.post(reverse("treatments:session_detail", kwargs={"pk": session.pk}), data)
    assert session.sites.count() == 31
    clinician_client.post(reverse("treatments:session_addendum", kwargs={"pk": session.pk}),
                          {"text": "Patient reported mild neck pain next day."})
    assert session.addenda.get().text == "Patient reported mild neck pain next day."
    assert AuditEvent.objects.filter(action="treatments.session.addendum_added").count() == 1
    page = clinician_client.get(reverse("treatments:session_detail", kwargs={"pk": session.pk})).content.decode()
    assert "Patient reported mild neck pain next day." in page


def test_billing_summary_page_and_csv_for_a_signed_session(clinician_client, plan, lot):
    session = _saved_draft(clinician_client, plan, lot)
    assert clinician_client.get(reverse("treatments:session_billing", kwargs={"pk": session.pk})).status_code == 302
    clinician_client.post(reverse("treatments:session_sign", kwargs={"pk": session.pk}))
    page = clinician_client.get(reverse("treatments:session_billing", kwargs={"pk": session.pk})).content.decode()
    assert "64615" in page and "J0585-JW" in page and plan.diagnosis_code.code in page
    csv = clinician_client.get(reverse("treatments:session_billing_csv", kwargs={"pk": session.pk}))
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("session_id,date_of_service,mrn") and len(lines) == 4
    assert any(",J0585,JW,45," in line for line in lines)


def test_billing_export_for_a_date_range(clinician_client, plan, lot):
    session = _saved_draft(clinician_client, plan, lot)
    clinician_client.post(reverse("treatments:session_sign", kwargs={"pk": session.pk}))
    day = session.performed_at.astimezone(dt.UTC).date()
    url = reverse("treatments:billing_export")
    bad = clinician_client.get(url, {"since": "2030-01-02", "until": "2030-01-01"})
    assert bad["Content-Type"].startswith("text/html")
    assert "The end date is before the start date." in bad.content.decode()
    since, until = (day - dt.timedelta(days=1)).isoformat(), (day + dt.timedelta(days=1)).isoformat()
    csv = clinician_client.get(url, {"since": since, "until": until})
    assert csv["Content-Type"].startswith("text/csv") and str(session.pk) in csv.getvalue().decode()  # streamed


def test_a_manager_can_view_but_not_sign(manager_client, clinician_client, plan, lot):
    session = _saved_draft(clinician_client, plan, lot)
    page = manager_client.get(reverse("treatments:session_sign", kwargs={"pk": session.pk})).content.decode()
    assert "Only a clinician can sign a session." in page
    assert manager_client.post(reverse("treatments:session_sign", kwargs={"pk": session.pk})).status_code == 403


def test_a_session_dated_in_the_future_cannot_be_signed_and_says_why(clinician_client, plan, lot):
    clinician_client.post(reverse("treatments:session_start", kwargs={"pk": plan.pk}))
    session = plan.sessions.get()
    later = session.performed_at + dt.timedelta(hours=20)  # ahead, but within the form's "by tomorrow" bound
    data = editor_data(session=session, sites=saved_sites(session), vials=[(lot, 1, "4", later)], performed_at=later)
    clinician_client.post(reverse("treatments:session_detail", kwargs={"pk": session.pk}), data)
    response = clinician_client.post(reverse("treatments:session_sign", kwargs={"pk": session.pk}))
    assert "A session cannot be signed before it takes place." in response.content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.DRAFT
