"""An addendum corrects a signed session and leaves the signed original as it was."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from tests.factories import InjectionSessionFactory, signed_session_make
from treatments.services import session_addendum_add

from .conftest import at

pytestmark = pytest.mark.django_db


@time_machine.travel(at(2030, 6, 4), tick=False)
def test_an_addendum_keeps_the_signed_original(clinician_user, migraine_plan):
    session = signed_session_make(plan=migraine_plan, performed_at=at(2030, 6, 3), units=155)
    original = (session.status, session.signed_at, list(session.sites.values_list("units", flat=True)))
    addendum = session_addendum_add(actor=clinician_user, session=session, text="  Left temporalis was 10 U.  ")
    session.refresh_from_db()
    assert (session.status, session.signed_at, list(session.sites.values_list("units", flat=True))) == original
    assert addendum.text == "Left temporalis was 10 U." and addendum.author == clinician_user
    event = AuditEvent.objects.get(action="treatments.session.addendum_added")
    assert event.patient == migraine_plan.patient and event.changes["addendum"] == [None, addendum.text]


def test_a_draft_takes_edits_not_addenda(clinician_user, migraine_plan):
    with pytest.raises(ValidationError):
        session_addendum_add(actor=clinician_user, session=InjectionSessionFactory(plan=migraine_plan), text="x")


def test_a_blank_addendum_or_a_front_desk_author_is_refused(clinician_user, front_desk_user, migraine_plan):
    session = signed_session_make(plan=migraine_plan, performed_at=at(2030, 6, 3), units=155)
    with pytest.raises(ValidationError):
        session_addendum_add(actor=clinician_user, session=session, text="   ")
    with pytest.raises(PermissionDenied):
        session_addendum_add(actor=front_desk_user, session=session, text="Correction")
