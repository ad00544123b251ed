"""A session starts as a draft from its plan's template; limb muscle lists take the plan's side."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import TreatmentPlanFactory
from treatments.models import PlanStatus, SessionStatus
from treatments.services import session_start

from .conftest import at

pytestmark = pytest.mark.django_db


def start(actor, plan):
    return session_start(actor=actor, plan=plan, performed_at=at(2030, 6, 3))


def test_a_draft_copies_the_template_and_the_plans_product(clinician_user, migraine_plan):
    session = start(clinician_user, migraine_plan)
    assert (session.status, session.clinician, session.product) == (
        SessionStatus.DRAFT, clinician_user, migraine_plan.product)
    assert session.patient == migraine_plan.patient
    assert session.sites.filter(side="midline").count() == 1


@pytest.mark.parametrize(("plan_side", "sides"), [("right", {"right"}), ("bilateral", {"left", "right"})])
def test_a_limb_muscle_list_takes_the_plans_side_with_blank_doses(clinician_user, plan_side, sides):
    plan = TreatmentPlanFactory(indication_code="upper_limb_spasticity_adult", side=plan_side,
                                responsible_clinician=clinician_user)
    session = start(clinician_user, plan)
    assert set(session.sites.values_list("side", flat=True)) == sides
    assert session.sites.count() == 10 * len(sides)
    assert not session.sites.filter(units__isnull=False).exists()


def test_a_paused_plan_cannot_start_a_session(clinician_user):
    plan = TreatmentPlanFactory(status=PlanStatus.PAUSED, responsible_clinician=clinician_user)
    with pytest.raises(ValidationError):
        start(clinician_user, plan)
