"""Plans: defaults from the indication, codes and templates that fit, audit, and who may write."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from tests.factories import PatientFactory, seeded
from treatments.models import PlanStatus
from treatments.services import plan_create, plan_set_status, plan_update

pytestmark = pytest.mark.django_db


def data(**overrides):
    indication = overrides.pop("indication", None) or seeded("Indication", code="chronic_migraine")
    values = {"indication": indication, "diagnosis_code": indication.diagnosis_codes.get(code="G43.709"),
              "product": seeded("Product", code="botox"), "start_date": dt.date(2030, 1, 6)}
    values.update(overrides)
    return values


def test_a_plan_takes_cycle_interval_and_template_from_its_indication(clinician_user):
    patient = PatientFactory()
    plan = plan_create(actor=clinician_user, patient=patient, data=data())
    assert (plan.cycle_weeks, plan.minimum_interval_weeks) == (12, 12)
    assert plan.protocol_template.name.startswith("PREEMPT")
    assert plan.responsible_clinician == clinician_user
    event = AuditEvent.objects.get(action="treatments.plan.created")
    assert event.patient == patient and event.changes["cycle_weeks"] == [None, 12]


def test_a_diagnosis_code_of_another_indication_is_refused(clinician_user):
    dystonia = seeded("Indication", code="cervical_dystonia")
    with pytest.raises(ValidationError) as error:
        plan_create(actor=clinician_user, patient=PatientFactory(),
                    data=data(diagnosis_code=dystonia.diagnosis_codes.get(code="G24.3")))
    assert "diagnosis_code" in error.value.message_dict


def test_a_template_dosed_in_another_products_units_is_refused(clinician_user):
    preempt = seeded("ProtocolTemplate", name__startswith="PREEMPT")
    with pytest.raises(ValidationError) as error:
        plan_create(actor=clinician_user, patient=PatientFactory(),
                    data=data(product=seeded("Product", code="xeomin"), protocol_template=preempt))
    assert "not interchangeable" in error.value.message_dict["protocol_template"][0]


def test_updates_and_status_changes_are_audited(clinician_user):
    plan = plan_create(actor=clinician_user, patient=PatientFactory(), data=data())
    plan_update(actor=clinician_user, plan=plan, data={"cycle_weeks": 14})
    plan_set_status(actor=clinician_user, plan=plan, status=PlanStatus.PAUSED)
    assert AuditEvent.objects.get(action="treatments.plan.updated").changes == {"cycle_weeks": [12, 14]}
    assert AuditEvent.objects.get(action="treatments.plan.status_changed").changes == {"status": ["active", "paused"]}


def test_front_desk_cannot_create_or_change_plans(front_desk_user, clinician_user):
    with pytest.raises(PermissionDenied):
        plan_create(actor=front_desk_user, patient=PatientFactory(), data=data())
    plan = plan_create(actor=clinician_user, patient=PatientFactory(), data=data())
    with pytest.raises(PermissionDenied):
        plan_set_status(actor=front_desk_user, plan=plan, status=PlanStatus.ENDED)
