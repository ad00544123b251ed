"""Each plan keeps its last signed session and next due date on its row (the recall board reads
them, indexed): set when the plan is created, moved on by signing and by editing the cycle or
start date, and always equal to the derived ``plans_with_next_due``."""

import datetime as dt

import pytest
import time_machine

from treatments.models import TreatmentPlan
from treatments.selectors import plans_with_next_due
from treatments.services import plan_create, plan_update, session_save, session_sign, session_start

from .conftest import at, migraine_sites, session_input, vial

pytestmark = pytest.mark.django_db
TODAY = at(2030, 6, 3, 11)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(TODAY, tick=False):
        yield


def stored_and_derived(plan) -> tuple[tuple, tuple]:
    stored = TreatmentPlan.objects.get(pk=plan.pk)
    derived = plans_with_next_due().get(pk=plan.pk)
    return (stored.last_signed_session_at, stored.next_due_on), (derived.last_signed_at, derived.next_due)


def test_a_new_plan_is_due_from_its_start_date(clinician_user, migraine_plan):
    plan = plan_create(actor=clinician_user, patient=migraine_plan.patient, data={
        "indication": migraine_plan.indication, "product": migraine_plan.product,
        "diagnosis_code": migraine_plan.diagnosis_code, "start_date": dt.date(2030, 7, 1)})
    stored, derived = stored_and_derived(plan)
    assert stored == derived == (None, dt.date(2030, 7, 1))


def test_signing_moves_the_stored_due_date_on_by_the_cycle(clinician_user, migraine_plan, botox, botox_lot):
    session = session_start(actor=clinician_user, plan=migraine_plan, performed_at=TODAY)
    session_save(actor=clinician_user, session=session, data=session_input(
        performed_at=TODAY, product=botox, sites=migraine_sites(100), vials=[vial(botox_lot)]))
    session_sign(actor=clinician_user, session=session, overrides={})
    stored, derived = stored_and_derived(migraine_plan)
    assert stored == derived == (TODAY, dt.date(2030, 6, 3) + dt.timedelta(weeks=migraine_plan.cycle_weeks))


def test_a_new_cycle_length_moves_the_stored_due_date(clinician_user, migraine_plan, botox, botox_lot):
    session = session_start(actor=clinician_user, plan=migraine_plan, performed_at=TODAY)
    session_save(actor=clinician_user, session=session, data=session_input(
        performed_at=TODAY, product=botox, sites=migraine_sites(100), vials=[vial(botox_lot)]))
    session_sign(actor=clinician_user, session=session, overrides={})
    plan_update(actor=clinician_user, plan=migraine_plan, data={"cycle_weeks": 16})
    stored, derived = stored_and_derived(migraine_plan)
    assert stored == derived == (TODAY, dt.date(2030, 6, 3) + dt.timedelta(weeks=16))
