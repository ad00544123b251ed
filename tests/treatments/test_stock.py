"""Saving a session takes the vials it opened out of stock, by the difference on each re-save;
never below zero, and never from an expired lot."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from tests.factories import VialLotFactory
from treatments.models import InjectionSession
from treatments.services import session_discard, session_save, session_start

from .conftest import at, session_input, site, vial

pytestmark = pytest.mark.django_db
WHEN = at(2030, 6, 3)


@pytest.fixture
def draft(clinician_user, migraine_plan):
    return session_start(actor=clinician_user, plan=migraine_plan, performed_at=WHEN)


def save(draft, actor, product, vials, units=100):
    return session_save(actor=actor, session=draft, data=session_input(
        performed_at=WHEN, product=product, sites=[site(units=units)], vials=vials))


def on_hand(lot) -> int:
    lot.refresh_from_db()
    return lot.quantity_on_hand


def test_saving_decrements_stock_and_re_saving_adjusts_by_the_difference(draft, clinician_user, botox):
    first = VialLotFactory(product=botox, quantity_received=10, expiry_date=dt.date(2099, 1, 1))
    second = VialLotFactory(product=botox, quantity_received=5, expiry_date=dt.date(2099, 1, 1))
    save(draft, clinician_user, botox, [vial(first, vials_opened=2)])
    assert on_hand(first) == 8
    save(draft, clinician_user, botox, [vial(first, vials_opened=1), vial(second, vials_opened=1)])
    assert (on_hand(first), on_hand(second)) == (9, 4)
    save(draft, clinician_user, botox, [vial(second, vials_opened=1)])
    assert (on_hand(first), on_hand(second)) == (10, 4)
    event = AuditEvent.objects.filter(action="treatments.session.updated").first()
    assert event.changes[f"lot {first.lot_number} on hand"] == [9, 10]


def test_not_enough_stock_is_a_clear_error_and_nothing_is_saved(draft, clinician_user, botox):
    lot = VialLotFactory(product=botox, quantity_received=1, expiry_date=dt.date(2099, 1, 1))
    with pytest.raises(ValidationError) as error:
        save(draft, clinician_user, botox, [vial(lot, vials_opened=2)], units=150)
    assert "Not enough stock: lot" in str(error.value.message_dict["vials"])
    assert on_hand(lot) == 1
    assert draft.sites.count() == 31  # the template's sites, untouched


def test_an_expired_lot_is_refused(draft, clinician_user, botox):
    lot = VialLotFactory(product=botox, expiry_date=dt.date(2030, 6, 2))
    with pytest.raises(ValidationError) as error:
        save(draft, clinician_user, botox, [vial(lot)])
    assert "expired" in str(error.value.message_dict["vials"])
    assert on_hand(lot) == 10


def test_more_units_given_than_opened_is_refused(draft, clinician_user, botox):
    lot = VialLotFactory(product=botox, vial_units=100, expiry_date=dt.date(2099, 1, 1))
    with pytest.raises(ValidationError) as error:
        save(draft, clinician_user, botox, [vial(lot)], units=101)
    assert "101 U Botox given" in str(error.value.message_dict["sites"])


def test_the_same_lot_twice_is_refused(draft, clinician_user, botox, botox_lot):
    with pytest.raises(ValidationError):
        save(draft, clinician_user, botox, [vial(botox_lot), vial(botox_lot)])


def test_discarding_a_draft_puts_its_vials_back_and_is_audited(draft, clinician_user, botox, botox_lot):
    save(draft, clinician_user, botox, [vial(botox_lot, vials_opened=2)])
    session_discard(actor=clinician_user, session=draft)
    assert on_hand(botox_lot) == 20
    assert not InjectionSession.objects.filter(pk=draft.pk).exists()
    event = AuditEvent.objects.get(action="treatments.session.discarded")
    assert event.patient == draft.patient and event.changes[f"lot {botox_lot.lot_number} on hand"] == [18, 20]
