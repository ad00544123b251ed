"""'Record scores' on a session page: one link per scale of the plan's indication, carrying the
plan and the session, so that the entry form opens with both already chosen."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from outcomes.models import Assessment

from .pages import scene_make

pytestmark = pytest.mark.django_db
CHRONIC_MIGRAINE_SCALES = ["headache_days", "midas", "hit6", "phq9", "gad7", "eq5d_vas"]


def _links(html: str) -> list[str]:
    menu = html.split('data-testid="record-scores"')[1].split("</ul>")[0]
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', menu)]


def _expected(scene, session) -> list[str]:
    return [reverse("outcomes:assessment_create", args=[scene.plan.patient_id, code])
            + f"?plan={scene.plan.pk}&session={session.pk}" for code in CHRONIC_MIGRAINE_SCALES]


@pytest.mark.parametrize("which", ["draft", "signed"])
def test_a_session_page_links_each_of_the_plans_scales_with_plan_and_session(clinician_client, clinician_user, which):
    scene = scene_make(clinician_user)
    session = getattr(scene, which)
    html = clinician_client.get(reverse("treatments:session_detail", args=[session.pk])).content.decode()
    assert _links(html) == _expected(scene, session)
    assert "Record scores" in html and "licence required" in html.split('data-testid="record-scores"')[1]


def test_following_a_link_preselects_the_session_and_the_plan_and_saves_against_them(clinician_client, clinician_user):
    scene = scene_make(clinician_user)
    html = clinician_client.get(reverse("treatments:session_detail", args=[scene.signed.pk])).content.decode()
    headache_link = _links(html)[0]
    form = clinician_client.get(headache_link)
    assert form.status_code == 200
    page = form.content.decode()
    assert re.search(rf'<option value="{scene.signed.pk}" selected>', page)
    assert re.search(rf'<option value="{scene.plan.pk}" selected>', page)
    response = clinician_client.post(headache_link, {
        "taken_on": timezone.localdate().isoformat(), "plan": scene.plan.pk, "session": scene.signed.pk,
        "item_days": 12,
    })
    assert response.status_code == 302
    saved = Assessment.objects.get()
    assert (saved.session_id, saved.plan_id, saved.total) == (scene.signed.pk, scene.plan.pk, 12)


def test_the_front_desk_gets_neither_the_page_nor_the_form(front_desk_client, clinician_user):
    scene = scene_make(clinician_user)
    assert front_desk_client.get(reverse("treatments:session_detail", args=[scene.signed.pk])).status_code == 403
    assert front_desk_client.get(_expected(scene, scene.signed)[0]).status_code == 403
