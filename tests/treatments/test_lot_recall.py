"""A lot look-up lists every patient who received vials from it, for a manufacturer recall."""

import datetime as dt

import pytest

from tests.factories import SessionVialFactory, TreatmentPlanFactory, VialLotFactory, signed_session_make
from treatments.selectors import lot_recipients

from .conftest import at

pytestmark = pytest.mark.django_db


def test_recipients_of_a_lot_are_listed_with_their_session_dates(clinician_user, botox):
    recalled, other = VialLotFactory(product=botox), VialLotFactory(product=botox)
    plans = [TreatmentPlanFactory(responsible_clinician=clinician_user) for _ in range(3)]
    late = signed_session_make(plan=plans[0], performed_at=at(2030, 3, 2), units=100)
    early = signed_session_make(plan=plans[1], performed_at=at(2030, 1, 5, 23, 30), units=100)
    untouched = signed_session_make(plan=plans[2], performed_at=at(2030, 2, 1), units=100)
    SessionVialFactory(session=late, lot=recalled)
    SessionVialFactory(session=early, lot=recalled, vials_opened=2)
    SessionVialFactory(session=untouched, lot=other)

    recipients = lot_recipients(recalled)
    assert [(r.patient, r.date, r.vials_opened) for r in recipients] == [
        (plans[1].patient, dt.date(2030, 1, 5), 2), (plans[0].patient, dt.date(2030, 3, 2), 1)]


def test_the_look_up_is_one_query(clinician_user, botox, django_assert_num_queries):
    lot = VialLotFactory(product=botox)
    for _ in range(5):
        plan = TreatmentPlanFactory(responsible_clinician=clinician_user)
        SessionVialFactory(session=signed_session_make(plan=plan, performed_at=at(2030, 1, 5), units=5), lot=lot)
    with django_assert_num_queries(1):
        assert len(lot_recipients(lot)) == 5
