"""The reference-data admin: a manager's edits are audited with before/after; clinical records
are view-only there, so nothing bypasses the services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.factories import TreatmentPlanFactory, seeded

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(manager_user, client):
    manager_user.is_staff = True
    manager_user.save()
    client.force_login(manager_user)
    return client


def test_a_dose_rule_change_in_the_admin_is_audited_with_before_and_after(admin_client):
    muscle = seeded("Muscle", name="Procerus")
    url = reverse("admin:treatments_muscle_change", args=[muscle.pk])
    response = admin_client.post(url, {"name": "Procerus muscle", "region": muscle.region, "is_paired": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="treatments.muscle.updated")
    assert event.object_type == "treatments.muscle" and event.changes["name"] == ["Procerus", "Procerus muscle"]


def test_an_admin_save_without_changes_writes_no_entry(admin_client):
    muscle = seeded("Muscle", name="Procerus")
    admin_client.post(reverse("admin:treatments_muscle_change", args=[muscle.pk]),
                      {"name": "Procerus", "region": muscle.region, "is_paired": ""})
    assert not AuditEvent.objects.filter(action__startswith="treatments.muscle").exists()


def test_reference_pages_show_source_and_confidence(admin_client):
    html = admin_client.get(reverse("admin:treatments_doserule_changelist")).content.decode()
    assert "Confidence" in html and "Source" in html


@pytest.mark.parametrize("model", ["treatmentplan", "injectionsession", "viallot"])
def test_clinical_records_are_view_only_in_the_admin(admin_client, model):
    TreatmentPlanFactory()
    assert admin_client.get(reverse(f"admin:treatments_{model}_add")).status_code == 403
    assert admin_client.get(reverse(f"admin:treatments_{model}_changelist")).status_code == 200


def test_a_plan_cannot_be_changed_through_the_admin(admin_client):
    plan = TreatmentPlanFactory()
    response = admin_client.post(reverse("admin:treatments_treatmentplan_change", args=[plan.pk]), {"cycle_weeks": 2})
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.cycle_weeks == 12
