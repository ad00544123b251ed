"""Every session write is audited with the patient and the before/after of what changed."""

from decimal import Decimal

import pytest

from audit.models import AuditEvent
from audit.verify import audit_verify
from treatments.services import session_save, session_start

from .conftest import at, session_input, site, vial

pytestmark = pytest.mark.django_db
WHEN = at(2030, 6, 3)


def test_starting_and_editing_a_session_records_before_and_after(clinician_user, migraine_plan, botox, botox_lot):
    session = session_start(actor=clinician_user, plan=migraine_plan, performed_at=WHEN)
    started = AuditEvent.objects.get(action="treatments.session.started")
    assert started.patient == migraine_plan.patient and len(started.changes["sites"][1]) == 31

    data = dict(performed_at=WHEN, product=botox, vials=[vial(botox_lot)], notes="Tolerated well.")
    session_save(actor=clinician_user, session=session, data=session_input(sites=[site(units=5)], **data))
    session_save(actor=clinician_user, session=session, data=session_input(
        sites=[site(units="7.5")], weight=Decimal("70.5"), **data))

    event = AuditEvent.objects.filter(action="treatments.session.updated").first()  # newest first
    assert event.patient == migraine_plan.patient and event.actor == clinician_user
    assert event.changes["sites"] == [
        ["Temporalis left 5 U Botox ×1 (anatomical)"], ["Temporalis left 7.5 U Botox ×1 (anatomical)"]]
    assert event.changes["patient_weight_kg"] == [None, "70.5"]
    assert "notes" not in event.changes  # unchanged fields are not listed
    assert audit_verify() == []


def test_saving_the_same_input_again_adds_no_audit_entry(clinician_user, migraine_plan, botox, botox_lot):
    session = session_start(actor=clinician_user, plan=migraine_plan, performed_at=WHEN)
    data = session_input(performed_at=WHEN, product=botox, sites=[site(units=5)], vials=[vial(botox_lot)])
    session_save(actor=clinician_user, session=session, data=data)
    count = AuditEvent.objects.count()
    session_save(actor=clinician_user, session=session, data=data)
    assert AuditEvent.objects.count() == count
