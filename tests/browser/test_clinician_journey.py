"""A clinician's session, in a real browser: open a migraine patient, start from PREEMPT, change a
site, pick a lot, sign; a second session four weeks later shows the interval warning; the front
desk cannot reach the session form."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.factories import TreatmentPlanFactory, VialLotFactory
from treatments.models import SessionStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clinician_records_and_signs_a_preempt_session_then_sees_the_interval_warning(
    page: Page, login, screenshot, clinician_user, front_desk_user
):
    plan = TreatmentPlanFactory(responsible_clinician=clinician_user)
    lot = VialLotFactory(vial_units=200, lot_number="C4821", quantity_received=6)
    patient = plan.patient
    login("clinician")

    page.goto(f"/patients/{patient.pk}/")
    expect(page.get_by_test_id("plans")).to_contain_text("Chronic migraine")
    page.get_by_test_id("start-session").click()
    expect(page.get_by_test_id("total-units")).to_have_text("155 U Botox")

    # Lower one site (corrugator, left) to 3 U and pick the lot; the panel follows from the server.
    page.locator("[name='sites-0-units']").fill("3")
    expect(page.get_by_test_id("total-units")).to_have_text("153 U Botox")
    page.locator("[name='vials-0-lot']").select_option(str(lot.pk))
    page.locator("[name='vials-0-diluent_ml']").fill("4")
    expect(page.get_by_test_id("discarded")).to_have_text("47 U Botox")
    expect(page.get_by_test_id("modifier")).to_contain_text("J0585-JW")
    expect(page.get_by_test_id("cumulative")).to_have_text("153 U Botox of 400 U in 84 days")
    screenshot("editor")

    page.get_by_role("button", name="Save and sign…").click()
    expect(page.get_by_text("No warnings.")).to_be_visible()
    page.get_by_role("button", name="Sign session").click()
    expect(page.get_by_role("alert")).to_contain_text("Session signed")
    expect(page.get_by_test_id("signed-total")).to_have_text("153 U Botox")
    first = plan.sessions.get()
    assert first.status == SessionStatus.SIGNED and first.vials.get().lot == lot
    lot.refresh_from_db()
    assert lot.quantity_on_hand == 5

    # Four weeks later (the server's clock moves on; the clinician signs in again): a second
    # session shows the interval warning live.
    later = timezone.localtime(first.performed_at + dt.timedelta(weeks=4))
    with time_machine.travel(later, tick=True):
        login("clinician")
        page.goto(f"/patients/{patient.pk}/")
        expect(page.get_by_test_id("timeline")).to_contain_text("153 U Botox")
        page.get_by_test_id("start-session").click()
        page.get_by_label("Date and time").fill(later.strftime("%Y-%m-%dT%H:%M"))
        page.locator("[name='sites-0-units']").fill("5")  # any change triggers the check
        findings = page.get_by_test_id("findings")
        expect(findings).to_contain_text("Only 28 days since the last signed session")
        expect(findings).to_contain_text("minimum interval is 12 weeks")
        assert screenshot("interval-warning").stat().st_size > 10_000
        second_url = page.url

    # The front desk cannot open the session form.
    page.get_by_role("button", name="Sign out").click()
    login("frontdesk")
    response = page.goto(second_url)
    assert response is not None and response.status == 403
    page.goto(f"/patients/{patient.pk}/")
    expect(page.get_by_test_id("plans")).to_contain_text("Chronic migraine")
    expect(page.get_by_test_id("timeline")).to_have_count(0)
    expect(page.get_by_test_id("start-session")).to_have_count(0)
    assert re.search(r"/patients/\d+/$", page.url)
