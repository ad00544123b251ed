"""From a signed session, a clinician opens 'Record scores', picks a scale, and the entry form
comes up with the plan and that session already chosen; the score saved is linked to both."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from outcomes.models import Assessment
from tests.factories import TreatmentPlanFactory, signed_session_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_record_scores_menu_opens_the_form_for_this_session(page: Page, login, clinician_user):
    plan = TreatmentPlanFactory(responsible_clinician=clinician_user)
    session = signed_session_make(plan=plan, performed_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    login("clinician")

    page.goto(f"/treatments/sessions/{session.pk}/")
    menu = page.get_by_test_id("record-scores")
    expect(menu.get_by_role("link", name="MIDAS")).to_be_hidden()
    menu.get_by_role("button", name="Record scores").click()
    menu.get_by_role("link", name="Monthly headache days").click()

    expect(page.get_by_label("Session")).to_have_value(str(session.pk))
    expect(page.get_by_label("Plan")).to_have_value(str(plan.pk))
    page.get_by_label("On how many days in the last 30 days did you have a headache?").fill("11")
    page.get_by_role("button", name="Save scores").click()
    expect(page.get_by_role("alert").first).to_contain_text("Monthly headache days saved: 11")
    saved = Assessment.objects.get()
    assert (saved.session_id, saved.plan_id, saved.total) == (session.pk, plan.pk, 11)
