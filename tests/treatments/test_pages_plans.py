"""Creating and editing plans from the page, and pausing / ending / resuming them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.factories import PatientFactory, TreatmentPlanFactory, seeded
from treatments.models import PlanStatus, TreatmentPlan

pytestmark = pytest.mark.django_db


def _form(indication, code, product, clinician, **extra) -> dict[str, str]:
    return {"indication": indication.pk, "diagnosis_code": code.pk, "product": product.pk,
            "responsible_clinician": clinician.pk, "start_date": "2026-11-02", "side": "", **extra}


def test_a_plan_is_created_with_cycle_interval_and_template_from_the_indication(clinician_client, clinician_user):
    patient = PatientFactory()
    migraine = seeded("Indication", code="chronic_migraine")
    code = migraine.diagnosis_codes.get(code="G43.709")
    response = clinician_client.post(reverse("treatments:plan_create", kwargs={"pk": patient.pk}),
                                     _form(migraine, code, seeded("Product", code="botox"), clinician_user))
    assert response.status_code == 302
    plan = TreatmentPlan.objects.get(patient=patient)
    assert (plan.cycle_weeks, plan.minimum_interval_weeks) == (12, 12)
    assert plan.protocol_template.name.startswith("PREEMPT")
    assert AuditEvent.objects.filter(action="treatments.plan.created", patient=patient).exists()


def test_a_code_of_another_indication_is_refused_and_nothing_is_saved(clinician_client, clinician_user):
    patient = PatientFactory()
    migraine = seeded("Indication", code="chronic_migraine")
    dystonia_code = seeded("DiagnosisCode", code="G24.3")
    response = clinician_client.post(reverse("treatments:plan_create", kwargs={"pk": patient.pk}),
                                     _form(migraine, dystonia_code, seeded("Product", code="botox"), clinician_user))
    assert response.status_code == 200
    assert "G24.3 is not a code for Chronic migraine" in response.content.decode()
    assert not TreatmentPlan.objects.filter(patient=patient).exists()


def test_the_code_choices_are_grouped_and_tagged_by_indication_for_the_filter_script(clinician_client):
    patient = PatientFactory()
    html = clinician_client.get(reverse("treatments:plan_create", kwargs={"pk": patient.pk})).content.decode()
    migraine = seeded("Indication", code="chronic_migraine")
    assert '<optgroup label="Chronic migraine">' in html
    assert f'data-indication="{migraine.pk}"' in html and 'data-cycle-weeks="12"' in html
    assert 'src="/static/js/plan_form.js"' in html


def test_editing_a_plan_keeps_an_audit_diff(clinician_client, clinician_user):
    plan = TreatmentPlanFactory(responsible_clinician=clinician_user)
    data = _form(plan.indication, plan.diagnosis_code, plan.product, clinician_user, cycle_weeks="14",
                 minimum_interval_weeks="12", protocol_template=plan.protocol_template_id)
    response = clinician_client.post(reverse("treatments:plan_update", kwargs={"pk": plan.pk}), data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.cycle_weeks == 14
    event = AuditEvent.objects.get(action="treatments.plan.updated")
    assert event.changes["cycle_weeks"] == [12, 14]


@pytest.mark.parametrize("status", [PlanStatus.PAUSED, PlanStatus.ENDED])
def test_pause_end_and_resume_buttons(clinician_client, clinician_user, status):
    plan = TreatmentPlanFactory(responsible_clinician=clinician_user)
    url = reverse("treatments:plan_status", kwargs={"pk": plan.pk})
    clinician_client.post(url, {"status": status})
    plan.refresh_from_db()
    assert plan.status == status
    refused = clinician_client.post(reverse("treatments:session_start", kwargs={"pk": plan.pk}))
    assert refused.status_code == 302 and not plan.sessions.exists()
    clinician_client.post(url, {"status": PlanStatus.ACTIVE})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE


def test_a_status_change_is_post_only_and_checks_the_value(clinician_client, clinician_user):
    plan = TreatmentPlanFactory(responsible_clinician=clinician_user)
    url = reverse("treatments:plan_status", kwargs={"pk": plan.pk})
    assert clinician_client.get(url).status_code == 405
    clinician_client.post(url, {"status": "deleted"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE
