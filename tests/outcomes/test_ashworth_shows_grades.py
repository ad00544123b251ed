"""Modified Ashworth reads in grades (0, 1, 1+, 2, 3, 4) wherever a grade appears: the chart's
table, the trend's axis and tooltips, the response table, the saved message and the report. The
mean rank behind the trend line appears only labelled as a rank."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from outcomes.charts import trend_svg
from outcomes.instruments import INSTRUMENTS
from tests.factories import TreatmentPlanFactory, seeded, signed_session_make

from .conftest import record

pytestmark = pytest.mark.django_db
ASHWORTH = INSTRUMENTS["modified_ashworth"]
FIRST = dt.date(2025, 1, 6)


@pytest.fixture
def limb_plan(clinician_user):
    plan = TreatmentPlanFactory(indication_code="upper_limb_spasticity_adult", responsible_clinician=clinician_user)
    signed_session_make(plan=plan, performed_at=dt.datetime.combine(FIRST, dt.time(16), tzinfo=dt.UTC), units=100,
                        muscle="Biceps brachii")
    return plan


BEFORE, AFTER = FIRST - dt.timedelta(days=1), FIRST + dt.timedelta(weeks=6)


def grades(actor, plan, day: dt.date, **by_muscle: str):
    """Record Modified Ashworth grades: ``biceps="1+"`` is 'Biceps brachii (left)' graded 1+."""
    names = {"biceps": "Biceps brachii (left)", "brachialis": "Brachialis (left)"}
    return record(actor, plan, "modified_ashworth", {names[key]: grade for key, grade in by_muscle.items()}, day)


def _page(client, plan) -> str:
    return html.unescape(client.get(reverse("patients:detail", args=[plan.patient_id])).content.decode())


def _trend_table(page: str) -> str:
    return page.split('data-testid="trend-table"')[1].split("</table>")[0]


@pytest.mark.parametrize(("grade", "rank"), [("0", 0), ("1", 1), ("1+", 2), ("2", 3), ("3", 4), ("4", 5)])
def test_each_grade_is_stored_as_its_rank_and_shown_as_itself(clinician_user, limb_plan, grade, rank):
    assessment = grades(clinician_user, limb_plan, FIRST, biceps=grade)
    assert assessment.total == rank
    assert assessment.total_label == f"Biceps brachii (left) {grade}"


def test_the_chart_table_shows_grades_not_ranks(clinician_client, clinician_user, limb_plan):
    grades(clinician_user, limb_plan, BEFORE, biceps="1+")
    grades(clinician_user, limb_plan, AFTER, biceps="2", brachialis="1+")
    table = _trend_table(_page(clinician_client, limb_plan))
    assert "<th scope=\"col\">Grades</th>" in table
    cells = re.findall(r'<tr data-testid="score-row"><td>[^<]*</td><td>([^<]*)</td>', table)
    assert cells == ["Biceps brachii (left) 1+", "Biceps brachii (left) 2; Brachialis (left) 1+"]


def test_the_trend_axis_names_the_grades_and_the_tooltips_give_grades_then_the_rank(
    clinician_client, clinician_user, limb_plan
):
    grades(clinician_user, limb_plan, BEFORE, biceps="1+")
    grades(clinician_user, limb_plan, AFTER, biceps="2", brachialis="1+")
    svg = _page(clinician_client, limb_plan).split('data-testid="trend-svg"')[1].split("</svg>")[0]
    axis = re.findall(r'text-anchor="end" dominant-baseline="middle"[^>]*>([^<]*)</text>', svg)
    assert axis == ["0", "1", "1+", "2", "3", "4"]
    tooltips = re.findall(r"<circle[^>]*><title>([^<]*)</title>", svg)
    assert tooltips == [
        "Jan 5, 2025: Biceps brachii (left) 1+ (drawn at mean rank 2)",
        "Feb 17, 2025: Biceps brachii (left) 2; Brachialis (left) 1+ (drawn at mean rank 2.5)",
    ]


def test_the_axis_places_each_grade_at_its_rank():
    svg = trend_svg(ASHWORTH, [(FIRST, Decimal(2))], [])
    by_label = {tick.label: tick.at for tick in svg.y_ticks}
    assert svg.dots[0].y == by_label["1+"]


def test_the_response_table_shows_grades_and_labels_the_change_as_a_rank_change(
    clinician_client, clinician_user, limb_plan
):
    grades(clinician_user, limb_plan, BEFORE, biceps="2")
    grades(clinician_user, limb_plan, AFTER, biceps="1+")
    response = _page(clinician_client, limb_plan).split('data-testid="response-table"')[1].split("</table>")[0]
    assert "baseline Biceps brachii (left) 2 on" in response
    assert "Biceps brachii (left) 1+ on" in response
    assert "33.3% better (mean rank)" in response  # rank 3 → 2


def test_the_saved_message_gives_the_grade(clinician_client, limb_plan):
    biceps = seeded("Muscle", name="Biceps brachii")
    url = reverse("outcomes:assessment_create", args=[limb_plan.patient_id, "modified_ashworth"])
    data = {"taken_on": FIRST.isoformat(), "plan": limb_plan.pk, "muscle_1": biceps.pk, "side_1": "right",
            "grade_1": "1+"}
    page = html.unescape(clinician_client.post(url, data, follow=True).content.decode())
    assert "Modified Ashworth saved: Biceps brachii (right) 1+ highest grade 1+" in page


def test_the_report_counts_ashworth_change_in_mean_rank(clinician_client, clinician_user, limb_plan):
    grades(clinician_user, limb_plan, BEFORE, biceps="2")
    grades(clinician_user, limb_plan, AFTER, biceps="1+")
    page = html.unescape(clinician_client.get(reverse("outcomes:report")).content.decode())
    row = next(part for part in page.split('data-testid="report-scale"')[1:] if "Modified Ashworth" in part)
    assert "(grades 0, 1, 1+, 2, 3, 4; the line is the mean rank, 0–5; lower is better)" in row
    assert "-1.0 mean rank · n 1" in row and " pts" not in row.split("</tr>")[0]


@pytest.mark.parametrize(("rank", "label"), [
    (Decimal(0), "grade 0"), (Decimal(2), "grade 1+"), (Decimal(5), "grade 4"), (Decimal("2.5"), "mean rank 2.5"),
])
def test_a_rank_alone_reads_as_a_grade_or_is_labelled_a_rank(rank, label):
    assert ASHWORTH.score_label(rank, {}) == label
