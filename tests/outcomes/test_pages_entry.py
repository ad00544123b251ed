"""The clinician's entry form: one field per item, scored on save, errors shown on the field."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from outcomes.models import Assessment
from tests.factories import InjectionSessionFactory, seeded

pytestmark = pytest.mark.django_db


def _url(plan, code: str) -> str:
    return reverse("outcomes:assessment_create", args=[plan.patient_id, code]) + f"?plan={plan.pk}"


def test_the_form_has_a_field_per_item_and_marks_a_licensed_scale(clinician_client, plan):
    html = clinician_client.get(_url(plan, "hit6")).content.decode()
    assert 'name="item_total"' in html and 'data-testid="licence-required"' in html
    html = clinician_client.get(_url(plan, "midas")).content.decode()
    assert 'name="item_q5"' in html and "Not scored" in html


def test_the_form_asks_each_item_in_the_words_the_patient_reads(clinician_client, plan):
    page = html.unescape(clinician_client.get(_url(plan, "phq9")).content.decode())
    assert "Over the last 2 weeks, how often have you been bothered by any of the following problems?" in page
    assert "Feeling down, depressed, or hopeless" in page and "Item 2" not in page
    assert page.count(">3 — Nearly every day</option>") == 9
    midas = html.unescape(clinician_client.get(_url(plan, "midas")).content.decode())
    assert "did you not do household work because of your headaches?" in midas


def test_a_worded_scale_saves_from_its_answer_lists(clinician_client, plan):
    data = {"taken_on": timezone.localdate().isoformat(), **{f"item_item{n}": 1 for n in range(1, 8)}}
    assert clinician_client.post(_url(plan, "gad7"), data).status_code == 302
    assert (Assessment.objects.get().total, Assessment.objects.get().band) == (7, "Mild")


def test_saving_scores_the_items_and_links_the_plan_and_session(clinician_client, plan):
    session = InjectionSessionFactory(plan=plan)
    data = {"taken_on": timezone.localdate().isoformat(), "plan": plan.pk, "session": session.pk,
            "item_severity": 20, "item_disability": 15, "item_pain": 10, "total": 3}
    response = clinician_client.post(_url(plan, "twstrs"), data)
    assert response.status_code == 302 and response.url.endswith("#outcomes")
    assessment = Assessment.objects.get()
    assert (assessment.total, assessment.plan, assessment.session) == (45, plan, session)


def test_an_out_of_range_item_is_shown_on_the_form(clinician_client, plan):
    data = {"taken_on": timezone.localdate().isoformat(), "item_days": 31}
    response = clinician_client.post(_url(plan, "headache_days"), data)
    assert response.status_code == 200 and not Assessment.objects.exists()
    assert "less than or equal to 30" in response.content.decode()


def test_modified_ashworth_takes_a_grade_per_muscle(clinician_client, plan):
    biceps = seeded("Muscle", name="Biceps brachii")
    data = {"taken_on": timezone.localdate().isoformat(), "muscle_1": biceps.pk, "side_1": "right", "grade_1": "1+"}
    assert clinician_client.post(_url(plan, "modified_ashworth"), data).status_code == 302
    assert Assessment.objects.get().items == {"Biceps brachii (right)": "1+"}


def test_an_unknown_scale_is_not_found(clinician_client, plan):
    assert clinician_client.get(_url(plan, "no_such_scale")).status_code == 404


def test_the_front_desk_is_refused(front_desk_client, plan):
    assert front_desk_client.get(_url(plan, "phq9")).status_code == 403
