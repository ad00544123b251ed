"""A manager's navigation bar stays on one line on a 1440 px screen; the back-office pages are in
one dropdown, and the site icon is served."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ONE_LINE_PX = 64  # Bootstrap's navbar with one row of links is 56 px tall


def test_the_managers_bar_is_one_line_at_1440_px_and_the_dropdown_leads_on(page: Page, login, manager_user):
    page.set_viewport_size({"width": 1440, "height": 900})
    login("manager")
    page.goto("/patients/")
    assert page.locator("nav.navbar").bounding_box()["height"] <= ONE_LINE_PX
    page.get_by_role("button", name="More").click()
    page.get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible()
    assert page.request.get("/favicon.ico").headers["content-type"] == "image/svg+xml"
