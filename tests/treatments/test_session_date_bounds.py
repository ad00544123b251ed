"""A session dated centuries away (9999-12-31 once overflowed the safety check) or after tomorrow
is a field error on the editor and in the live totals: nothing is saved and nothing fails."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.factories import TreatmentPlanFactory, VialLotFactory

from .pages import editor_data, saved_sites

pytestmark = pytest.mark.django_db

FAR_DATES = ["9999-12-31T23:59", "9999-12-31T00:00", "0001-01-01T00:00", "1899-12-31T10:00", "2999-01-01T10:00"]


@pytest.fixture
def draft(clinician_client, clinician_user):
    plan = TreatmentPlanFactory(responsible_clinician=clinician_user)
    clinician_client.post(reverse("treatments:session_start", kwargs={"pk": plan.pk}))
    return plan.sessions.get()


@pytest.fixture
def lot(db):
    return VialLotFactory(vial_units=200, quantity_received=10)


def _data(draft, lot, **changes) -> dict[str, str]:
    return {**editor_data(session=draft, sites=saved_sites(draft), vials=[(lot, 1, "4")]), "save": "", **changes}


@pytest.mark.parametrize("when", FAR_DATES)
def test_a_far_session_date_is_a_field_error_and_saves_nothing(clinician_client, draft, lot, when):
    before = (saved_sites(draft), draft.performed_at)
    response = clinician_client.post(reverse("treatments:session_detail", kwargs={"pk": draft.pk}),
                                     _data(draft, lot, **{"session-performed_at": when}))
    assert response.status_code == 200
    assert response.context["editor"].header.errors["performed_at"]
    draft.refresh_from_db()
    lot.refresh_from_db()
    assert (saved_sites(draft), draft.performed_at, lot.quantity_on_hand) == (*before, 10)
    assert not AuditEvent.objects.filter(action="treatments.session.updated").exists()


@pytest.mark.parametrize("when", FAR_DATES)
def test_a_far_reconstitution_time_is_a_field_error(clinician_client, draft, lot, when):
    response = clinician_client.post(reverse("treatments:session_detail", kwargs={"pk": draft.pk}),
                                     _data(draft, lot, **{"vials-0-reconstituted_at": when}))
    assert response.status_code == 200
    assert response.context["editor"].vials.forms[0].errors["reconstituted_at"]
    assert not draft.vials.exists()


@pytest.mark.parametrize("when", FAR_DATES)
def test_the_live_totals_leave_a_far_date_out_and_say_why(clinician_client, draft, lot, when):
    response = clinician_client.post(reverse("treatments:session_preview", kwargs={"pk": draft.pk}),
                                     _data(draft, lot, **{"session-performed_at": when}))
    assert response.status_code == 200
    assert any(problem.startswith("Date and time:") for problem in response.json()["input_problems"])
