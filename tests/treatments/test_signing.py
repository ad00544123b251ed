"""Signing: clinicians only; hard findings block; every warning needs a written reason, which is
stored and audited; a signed session is locked."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from tests.factories import TreatmentPlanFactory, signed_session_make
from treatments.models import SafetyOverride, SessionStatus
from treatments.services import (
    OverrideReasonRequired,
    SessionLocked,
    SigningBlocked,
    session_save,
    session_sign,
    session_start,
)

from .conftest import at, migraine_sites, session_input, site, vial

pytestmark = pytest.mark.django_db
TODAY = at(2030, 6, 3, 11)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def draft(clinician_user, migraine_plan, botox, botox_lot):
    session = session_start(actor=clinician_user, plan=migraine_plan, performed_at=TODAY)
    session_save(actor=clinician_user, session=session, data=session_input(
        performed_at=TODAY, product=botox, sites=migraine_sites(100), vials=[vial(botox_lot)],
    ))
    return session


def save(session, actor, botox, lot, units):
    return session_save(actor=actor, session=session, data=session_input(
        performed_at=TODAY, product=botox, sites=[site(units=units)], vials=[vial(lot, vials_opened=3)],
    ))


def test_a_clean_session_signs_and_is_locked(draft, clinician_user, botox, botox_lot):
    session_sign(actor=clinician_user, session=draft, overrides={})
    draft.refresh_from_db()
    assert (draft.status, draft.signed_by, draft.signed_at) == (SessionStatus.SIGNED, clinician_user, TODAY)
    with pytest.raises(SessionLocked):
        save(draft, clinician_user, botox, botox_lot, 50)
    with pytest.raises(SessionLocked):
        session_sign(actor=clinician_user, session=draft, overrides={})


def test_front_desk_and_a_manager_who_is_not_a_clinician_cannot_sign(draft, front_desk_user, manager_user):
    for user in (front_desk_user, manager_user):
        with pytest.raises(PermissionDenied):
            session_sign(actor=user, session=draft, overrides={})
    draft.refresh_from_db()
    assert draft.status == SessionStatus.DRAFT


def test_front_desk_cannot_start_or_save_a_session(front_desk_user, migraine_plan, draft, botox, botox_lot):
    with pytest.raises(PermissionDenied):
        session_start(actor=front_desk_user, plan=migraine_plan, performed_at=TODAY)
    with pytest.raises(PermissionDenied):
        save(draft, front_desk_user, botox, botox_lot, 50)


def test_a_hard_finding_blocks_signing(draft, clinician_user, migraine_plan, botox, botox_lot):
    signed_session_make(plan=migraine_plan, performed_at=TODAY - dt.timedelta(days=90), units=100)
    other = signed_session_make(plan=migraine_plan, performed_at=TODAY - dt.timedelta(days=20), units=250)
    save(draft, clinician_user, botox, botox_lot, 151)  # 250 + 151 = 401 U in 84 days
    with pytest.raises(SigningBlocked) as blocked:
        session_sign(actor=clinician_user, session=draft, overrides={"botox_adult_cumulative_400u_84d": "x"})
    assert [f.code for f in blocked.value.report.hard] == ["botox_adult_cumulative_400u_84d"]
    draft.refresh_from_db()
    assert draft.status == SessionStatus.DRAFT
    assert not AuditEvent.objects.filter(action="treatments.session.signed").exists()
    assert other.pk


def test_a_warning_needs_a_written_reason(draft, clinician_user, migraine_plan):
    signed_session_make(plan=migraine_plan, performed_at=TODAY - dt.timedelta(weeks=4), units=100)
    for overrides in ({}, {"retreatment_too_soon": "   "}):
        with pytest.raises(OverrideReasonRequired) as missing:
            session_sign(actor=clinician_user, session=draft, overrides=overrides)
        assert missing.value.missing_codes == ["retreatment_too_soon"]
    draft.refresh_from_db()
    assert draft.status == SessionStatus.DRAFT


def test_an_override_is_stored_and_audited_with_the_signature(draft, clinician_user, migraine_plan):
    signed_session_make(plan=migraine_plan, performed_at=TODAY - dt.timedelta(weeks=4), units=100)
    reason = "Status migrainosus; neurologist agreed to an early cycle."
    session_sign(actor=clinician_user, session=draft, overrides={"retreatment_too_soon": reason})
    override = SafetyOverride.objects.get(session=draft)
    assert (override.check_code, override.reason, override.overridden_by) == (
        "retreatment_too_soon", reason, clinician_user)
    event = AuditEvent.objects.get(action="treatments.session.signed")
    assert event.patient == migraine_plan.patient and event.actor == clinician_user
    assert event.changes["overrides"] == [None, [f"retreatment_too_soon: {reason}"]]
    assert event.changes["status"] == ["draft", "signed"]


def test_a_session_dated_tomorrow_cannot_be_signed(clinician_user, migraine_plan):
    session = session_start(actor=clinician_user, plan=migraine_plan, performed_at=TODAY + dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        session_sign(actor=clinician_user, session=session, overrides={})


def test_a_muscle_list_dose_left_blank_blocks_signing(clinician_user, migraine_plan):
    plan = TreatmentPlanFactory(indication_code="cervical_dystonia", responsible_clinician=clinician_user)
    session = session_start(actor=clinician_user, plan=plan, performed_at=TODAY)
    with pytest.raises(SigningBlocked) as blocked:
        session_sign(actor=clinician_user, session=session, overrides={})
    assert {"dose_missing", "no_vials"} <= {f.code for f in blocked.value.report.hard}
