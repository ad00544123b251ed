"""The front desk's first journey, in a real browser: sign in, register, find by phone, open."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from patients.models import Patient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOOTSTRAP_PRIMARY = "rgb(13, 110, 253)"


def test_front_desk_registers_a_patient_and_finds_them_by_phone(
    page: Page, login, screenshot, front_desk_user
):
    login("frontdesk")

    # The page is styled: Bootstrap was served from node_modules through the staticfiles finders.
    navbar_colour = page.locator("nav.navbar").evaluate("el => getComputedStyle(el).backgroundColor")
    assert navbar_colour == BOOTSTRAP_PRIMARY

    page.get_by_role("link", name="Patients").click()  # the front desk lands on today's day view
    page.get_by_role("link", name="Register a patient").click()
    page.get_by_label("First name").fill("Rosalind")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Date of birth").fill("1979-03-14")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("Phone", exact=True).fill("312-555-0187")
    page.get_by_label("Email").fill("r.okafor@example.com")
    page.get_by_role("button", name="Save patient").click()
    expect(page.get_by_role("alert")).to_contain_text("Registered Rosalind Okafor")
    assert Patient.objects.get(last_name="Okafor").phone == "+13125550187"

    # Back on the list, search by the same number written another way.
    page.get_by_role("link", name="Patients").click()
    page.get_by_role("searchbox").fill("+1 (312) 555 0187")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"q=%2B1"))
    results = page.locator("table.table-patients tbody tr")
    expect(results).to_have_count(1)
    results.get_by_role("link", name="Okafor, Rosalind").click()

    expect(page.get_by_test_id("patient-name")).to_contain_text("Rosalind Okafor")
    expect(page.get_by_test_id("patient-phone")).to_have_text("(312) 555-0187")
    assert screenshot("patient-detail").stat().st_size > 10_000
