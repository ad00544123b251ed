"""The outcomes chart and the clinic report on a year of demo data, in a real browser: a clinician
opens a chronic-migraine patient, scrolls to the outcomes, and the SVG trend has a point per score
and a marker per injection; the report shows the demo clinic's figures. Screenshots of both go to
var/screenshots/ (not committed) for the closing note."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from playwright.sync_api import Page, expect

from accounts.roles import Role
from outcomes.models import Assessment
from tests.factories import PatientFactory, UserFactory
from treatments.models import SessionStatus, TreatmentPlan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
DEMO_PATIENTS = 6  # the demo's first six plans: chronic migraine, as most of its clinic


@pytest.fixture
def demo_clinic(settings, clinician_user) -> None:
    """The demo clinic's year of treatment and scores (its seed commands) for a few registered
    patients, whose clinician is our persona: what the chart and the report show. The rest of the
    demo (its other patients and its schedule) is left out: neither page shows it."""
    for username, role in (("clinician2", Role.CLINICIAN), ("manager", Role.MANAGER), ("frontdesk", Role.FRONT_DESK)):
        UserFactory(username=username, role=role)
    PatientFactory.create_batch(DEMO_PATIENTS)  # the demo's phone numbers: its seed treats them
    settings.DEBUG = True  # the demo seed refuses to run otherwise
    call_command("seed_demo_clinical", stdout=io.StringIO())
    call_command("seed_demo_outcomes", stdout=io.StringIO())
    settings.DEBUG = False


def _responding_migraine_plan() -> TreatmentPlan:
    """Of the chronic-migraine plans with the most signed sessions, the one whose headache days
    fell most: a believable response to show (the demo also has poor responders)."""
    plans = list(TreatmentPlan.objects.filter(indication__code="chronic_migraine")
                 .annotate(signed=Count("sessions", filter=Q(sessions__status=SessionStatus.SIGNED)))
                 .select_related("patient").order_by("-signed", "pk"))
    longest = [plan for plan in plans if plan.signed == plans[0].signed]
    diaries: dict[int, list] = {}
    for plan_id, days in (Assessment.objects.filter(plan__in=longest, instrument="headache_days")
                          .order_by("taken_on", "pk").values_list("plan_id", "total")):
        diaries.setdefault(plan_id, []).append(days)
    return max(longest, key=lambda plan: diaries[plan.pk][0] - diaries[plan.pk][-1])


def _save(locator, name: str, capsys) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    locator.screenshot(path=str(path))
    with capsys.disabled():
        print(f"\nscreenshot: {path}")
    return path


def test_a_year_of_demo_scores_is_charted_with_injections_and_the_report_shows_the_clinic(
    page: Page, login, demo_clinic, capsys
):
    plan = _responding_migraine_plan()
    scores = Assessment.objects.filter(patient=plan.patient, instrument="headache_days").filter(
        Q(plan=plan) | Q(plan__isnull=True)).count()
    injections = plan.sessions.filter(status=SessionStatus.SIGNED).count()
    assert injections >= 4 and scores >= 12  # a year: a cycle every 12 weeks, a diary every 4
    login("clinician")

    page.goto(f"/patients/{plan.patient_id}/")
    outcomes = page.get_by_test_id("outcomes")
    outcomes.scroll_into_view_if_needed()
    article = page.get_by_test_id("plan-outcomes").filter(has_text="Chronic migraine").first
    figure = article.get_by_test_id("trend").filter(has_text="Monthly headache days").first
    svg = figure.get_by_test_id("trend-svg")
    expect(svg).to_be_visible()
    expect(svg.locator("circle")).to_have_count(scores)
    expect(svg.get_by_test_id("injection-marker")).to_have_count(injections)
    expect(svg.get_by_test_id("injection-marker").first).to_contain_text("U Botox")
    assert len(svg.locator("polyline").get_attribute("points").split()) == scores
    # Drawn, not just present: a real width, every point inside the plot, markers in date order.
    box = svg.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 80
    xs = svg.locator("circle").evaluate_all("dots => dots.map(d => +d.getAttribute('cx'))")
    assert xs == sorted(xs) and min(xs) >= 44 and max(xs) <= 628  # charts.LEFT .. WIDTH - RIGHT
    marker_xs = svg.locator("[data-testid=injection-marker] line").evaluate_all(
        "lines => lines.map(l => +l.getAttribute('x1'))")
    assert marker_xs == sorted(marker_xs) and len(set(marker_xs)) == injections
    expect(figure.get_by_test_id("score-row")).to_have_count(scores)  # the same figures as a table
    chart = _save(figure, "outcomes-chart.png", capsys)
    assert chart.stat().st_size > 10_000

    page.get_by_role("link", name="Outcomes", exact=True).click()
    expect(page.get_by_role("heading", name="Outcomes report")).to_be_visible()
    migraine = page.get_by_test_id("report-indication").filter(has_text="Chronic migraine").first
    expect(migraine).to_contain_text("NICE TA260")
    expect(migraine).to_contain_text("advisory")
    expect(migraine.get_by_test_id("no-rule").first).to_contain_text("No responder rule configured")
    expect(page.get_by_test_id("band-shift")).to_have_count(2)
    report = _save(page.locator("main"), "outcomes-report.png", capsys)
    assert report.stat().st_size > 20_000
