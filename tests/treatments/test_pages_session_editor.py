"""The session editor: start from the plan's template, save, errors, the live-totals endpoint."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from tests.factories import PatientFactory, TreatmentPlanFactory, VialLotFactory, seeded, signed_session_make
from treatments.models import InjectionSession

from .pages import editor_data, saved_sites, total

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(clinician_user):
    return TreatmentPlanFactory(responsible_clinician=clinician_user)


@pytest.fixture
def lot(db):
    return VialLotFactory(vial_units=200, quantity_received=10)


@pytest.fixture
def draft(clinician_client, plan) -> InjectionSession:
    response = clinician_client.post(reverse("treatments:session_start", kwargs={"pk": plan.pk}))
    assert response.status_code == 302
    return plan.sessions.get()


def test_start_session_opens_a_draft_prefilled_from_preempt(clinician_client, draft):
    assert draft.sites.count() == 31 and total(draft) == Decimal("155")
    page = clinician_client.get(reverse("treatments:session_detail", kwargs={"pk": draft.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="sites-30-units"' in html and 'data-testid="total-units">155 U Botox<' in html
    assert 'src="/static/js/session_editor.js"' in html and "onclick" not in html and "<script>" not in html


def test_saving_the_edited_draft_stores_sites_vials_and_takes_stock(clinician_client, draft, lot):
    sites = saved_sites(draft)
    sites[0] = (sites[0][0], sites[0][1], Decimal("10"))  # corrugator left: 5 U → 10 U
    data = {**editor_data(session=draft, sites=sites, vials=[(lot, 1, "4")]), "save": ""}
    response = clinician_client.post(reverse("treatments:session_detail", kwargs={"pk": draft.pk}), data)
    assert response.status_code == 302
    assert total(draft) == Decimal("160")
    assert draft.vials.get().lot == lot
    lot.refresh_from_db()
    assert lot.quantity_on_hand == 9
    assert AuditEvent.objects.filter(action="treatments.session.updated", object_id=str(draft.pk)).exists()


def test_bad_input_shows_errors_and_saves_nothing(clinician_client, draft, lot):
    before = (saved_sites(draft), draft.performed_at, lot.quantity_on_hand)
    sites = saved_sites(draft)
    sites[3] = (sites[3][0], sites[3][1], "-5")
    data = editor_data(session=draft, sites=sites, vials=[(lot, 1, "4")])
    data["session-performed_at"] = "not a date"
    response = clinician_client.post(reverse("treatments:session_detail", kwargs={"pk": draft.pk}), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid date/time." in html
    assert "Ensure this value is greater than or equal to 0.01." in html
    draft.refresh_from_db()
    lot.refresh_from_db()
    assert (saved_sites(draft), draft.performed_at, lot.quantity_on_hand) == before
    assert not draft.vials.exists()


def test_more_units_than_the_vials_hold_is_refused_by_the_service_and_nothing_is_saved(
    clinician_client, draft
):
    small = VialLotFactory(vial_units=100, quantity_received=5)
    data = editor_data(session=draft, sites=saved_sites(draft), vials=[(small, 1, "2")])
    response = clinician_client.post(reverse("treatments:session_detail", kwargs={"pk": draft.pk}), data)
    assert response.status_code == 200
    assert "155 U Botox given but the vials hold only 100 U Botox" in response.content.decode()
    small.refresh_from_db()
    assert small.quantity_on_hand == 5 and not draft.vials.exists()


def test_a_lot_of_another_product_is_refused(clinician_client, draft):
    dysport = VialLotFactory(product=seeded("Product", code="dysport"), vial_units=500)
    data = editor_data(session=draft, sites=saved_sites(draft), vials=[(dysport, 1, "2.5")])
    response = clinician_client.post(reverse("treatments:session_detail", kwargs={"pk": draft.pk}), data)
    assert response.status_code == 200
    assert "Units are not interchangeable between products" in response.content.decode()
    assert not draft.vials.exists()


def test_expired_lots_are_not_offered(clinician_client, draft):
    expired = VialLotFactory(lot_number="OLD1", expiry_date=dt.date(2020, 1, 31))
    fresh = VialLotFactory(lot_number="NEW1")
    html = clinician_client.get(reverse("treatments:session_detail", kwargs={"pk": draft.pk})).content.decode()
    assert f'value="{fresh.pk}"' in html and "NEW1" in html
    assert "OLD1" not in html and f'value="{expired.pk}" data-product' not in html


def test_add_rows_without_script_keeps_what_was_typed_and_saves_nothing(clinician_client, draft, lot):
    sites = saved_sites(draft)
    sites[0] = (sites[0][0], sites[0][1], Decimal("7.5"))
    data = {**editor_data(session=draft, sites=sites, vials=[(lot, 1, "4")]), "add_rows": "sites"}
    response = clinician_client.post(reverse("treatments:session_detail", kwargs={"pk": draft.pk}), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="sites-33-units"' in html and 'name="sites-34-units"' not in html
    assert 'name="sites-0-units" value="7.50"' in html or 'name="sites-0-units" value="7.5"' in html
    assert total(draft) == Decimal("155")  # unchanged


def test_removed_rows_are_dropped_on_save(clinician_client, draft, lot):
    data = editor_data(session=draft, sites=saved_sites(draft), vials=[(lot, 1, "4")])
    data["sites-30-DELETE"] = "on"
    clinician_client.post(reverse("treatments:session_detail", kwargs={"pk": draft.pk}), data)
    assert draft.sites.count() == 30 and total(draft) == Decimal("150")


def test_live_totals_endpoint_reports_dose_concentration_wastage_and_window(clinician_client, draft, lot):
    data = editor_data(session=draft, sites=saved_sites(draft), vials=[(lot, 1, "4")])
    response = clinician_client.post(reverse("treatments:session_preview", kwargs={"pk": draft.pk}), data)
    assert response.status_code == 200
    figures = json.loads(response.content)
    assert figures["total_label"] == "155 U Botox"
    assert figures["opened_label"] == "200 U Botox"
    assert figures["discarded_label"] == "45 U Botox"
    assert figures["modifier"] == "JW" and "J0585-JW" in figures["modifier_note"]
    assert figures["concentrations"] == [f"Lot {lot.lot_number}: 200 U + 4 mL = 5 U per 0.1 mL"]
    assert figures["cumulative_label"] == "155 U Botox of 400 U in 84 days"
    assert figures["sites_count"] == 31 and figures["findings"] == []
    assert not draft.vials.exists() and lot.quantity_on_hand == 10  # a preview saves nothing


def test_live_totals_show_jz_when_a_whole_vial_is_used(clinician_client, draft):
    full = VialLotFactory(vial_units=100)
    sites = saved_sites(draft)[:20]  # 20 × 5 U = 100 U
    data = editor_data(session=draft, sites=sites, vials=[(full, 1, "2")])
    figures = clinician_client.post(reverse("treatments:session_preview", kwargs={"pk": draft.pk}), data).json()
    assert figures["total_label"] == "100 U Botox" and figures["discarded_label"] == "0 U Botox"
    assert figures["modifier"] == "JZ"


def test_live_totals_flag_a_dose_over_the_cumulative_limit_and_skip_half_typed_rows(clinician_client, draft, lot):
    sites = saved_sites(draft)
    sites[0] = (sites[0][0], sites[0][1], Decimal("300"))  # 450 U in total
    sites[1] = (sites[1][0], sites[1][1], "abc")
    data = editor_data(session=draft, sites=sites, vials=[(lot, 3, "4")])
    figures = clinician_client.post(reverse("treatments:session_preview", kwargs={"pk": draft.pk}), data).json()
    assert figures["total_label"] == "445 U Botox"  # row 2 is left out until it is a number
    assert figures["input_problems"] == ["Site row 2 is not counted until it is complete."]
    hard = [f for f in figures["findings"] if f["severity"] == "hard"]
    assert [f["code"] for f in hard] == ["botox_adult_cumulative_400u_84d"]
    assert "BOTOX label" in hard[0]["source"]


def test_a_session_four_weeks_after_a_signed_one_shows_the_interval_warning(clinician_client, draft, lot, plan):
    signed_session_make(plan=plan, performed_at=draft.performed_at - dt.timedelta(weeks=4))
    data = editor_data(session=draft, sites=saved_sites(draft), vials=[(lot, 1, "4")])
    figures = clinician_client.post(reverse("treatments:session_preview", kwargs={"pk": draft.pk}), data).json()
    assert [f["code"] for f in figures["findings"]] == ["retreatment_too_soon"]
    assert "Only 28 days since the last signed session" in figures["findings"][0]["message"]


def test_a_pediatric_patient_is_asked_for_weight(clinician_client, clinician_user, lot):
    today = timezone.localdate()
    child = PatientFactory(date_of_birth=today.replace(year=today.year - 9, day=min(today.day, 28)))
    plan = TreatmentPlanFactory(patient=child, responsible_clinician=clinician_user,
                                indication_code="upper_limb_spasticity_pediatric")
    clinician_client.post(reverse("treatments:session_start", kwargs={"pk": plan.pk}))
    session = plan.sessions.get()
    html = clinician_client.get(reverse("treatments:session_detail", kwargs={"pk": session.pk})).content.decode()
    assert 'name="session-patient_weight_kg"' in html
    data = editor_data(session=session, sites=[(seeded("Muscle", name="Biceps brachii"), "left", 50)],
                       vials=[(lot, 1, "2")])
    response = clinician_client.post(reverse("treatments:session_detail", kwargs={"pk": session.pk}), data)
    assert response.status_code == 200 and "This field is required." in response.content.decode()


def test_add_a_vial_row_without_script(clinician_client, draft, lot):
    data = {**editor_data(session=draft, sites=saved_sites(draft), vials=[(lot, 1, "4")]), "add_rows": "vials"}
    html = clinician_client.post(reverse("treatments:session_detail", kwargs={"pk": draft.pk}), data).content.decode()
    assert 'name="vials-1-lot"' in html and 'name="sites-31-units"' not in html
