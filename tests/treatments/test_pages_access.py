"""Who may open each treatments page: anonymous → login; front desk and no-role users → 403 on
every clinical page; clinicians and managers in (receiving stock is for managers only)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PatientFactory
from treatments.urls import urlpatterns

from .pages import scene_make

pytestmark = pytest.mark.django_db

# (url name, method, which object's pk, clinician may?) — managers may do everything.
PAGES = [
    ("plan_create", "get", "patient", True),
    ("plan_update", "get", "plan", True),
    ("plan_status", "post", "plan", True),
    ("session_start", "post", "plan", True),
    ("session_detail", "get", "draft", True),
    ("session_detail", "get", "signed", True),
    ("session_preview", "post", "draft", True),
    ("session_sign", "get", "draft", True),
    ("session_addendum", "post", "signed", True),
    ("session_billing", "get", "signed", True),
    ("session_billing_csv", "get", "signed", True),
    ("billing_export", "get", None, True),
    ("lot_list", "get", None, True),
    ("lot_receive", "get", None, False),
    ("lot_recipients", "get", "lot", True),
    ("lot_recipients_csv", "get", "lot", True),
]


def _urls(scene) -> list[tuple[str, str, str, bool]]:
    objects = {"patient": scene.plan.patient, "plan": scene.plan, "draft": scene.draft, "signed": scene.signed,
               "lot": scene.lot}
    urls = []
    for name, method, obj, clinician_may in PAGES:
        kwargs = {"pk": objects[obj].pk} if obj else {}
        urls.append((name, method, reverse(f"treatments:{name}", kwargs=kwargs), clinician_may))
    return urls


def test_every_treatments_url_is_in_the_matrix():
    assert {p.name for p in urlpatterns} == {name for name, *_ in PAGES}


def test_anonymous_visitors_are_sent_to_sign_in(client, clinician_user):
    for name, method, url, _ in _urls(scene_make(clinician_user)):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), name


@pytest.mark.parametrize("persona", ["front_desk_client", "no_role_client"])
def test_front_desk_and_roleless_users_are_refused_every_treatments_page(request, persona, clinician_user):
    client = request.getfixturevalue(persona)
    scene = scene_make(clinician_user)
    for name, method, url, _ in _urls(scene):
        response = getattr(client, method)(url)
        assert response.status_code == 403, (persona, name, response.status_code)
        assert scene.plan.patient.last_name.encode() not in response.content
    scene.draft.refresh_from_db()
    assert scene.draft.status == "draft" and scene.plan.sessions.count() == 2  # nothing was started or changed


def test_front_desk_cannot_reach_the_session_form_even_for_a_missing_id(front_desk_client):
    assert front_desk_client.get(reverse("treatments:session_detail", kwargs={"pk": 987654})).status_code == 403


def test_clinicians_open_every_clinical_page_but_not_stock_receiving(clinician_client, clinician_user):
    for name, method, url, clinician_may in _urls(scene_make(clinician_user)):
        status = getattr(clinician_client, method)(url).status_code
        if clinician_may:
            assert status in (200, 302), (name, status)
        else:
            assert status == 403, name


def test_managers_open_every_treatments_page(manager_client, clinician_user):
    for name, method, url, _ in _urls(scene_make(clinician_user)):
        status = getattr(manager_client, method)(url).status_code
        assert status in (200, 302), (name, status)


def test_front_desk_sees_plans_and_due_dates_on_the_chart_but_no_sessions_or_doses(
    front_desk_client, clinician_user
):
    scene = scene_make(clinician_user)
    page = front_desk_client.get(reverse("patients:detail", kwargs={"pk": scene.plan.patient.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Chronic migraine" in html and 'data-testid="next-due"' in html
    assert 'data-testid="timeline"' not in html and "155 U Botox" not in html
    assert "Start session" not in html
    assert "treatment_timeline" not in page.context or not page.context.get("treatment_timeline")


def test_another_patients_chart_shows_nothing_of_this_patients_treatment(clinician_client, clinician_user):
    scene_make(clinician_user)
    other = PatientFactory()
    html = clinician_client.get(reverse("patients:detail", kwargs={"pk": other.pk})).content.decode()
    assert "No treatment plans." in html and "155 U Botox" not in html
