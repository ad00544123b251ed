"""Receiving stock: managers only, in a vial size the product comes in, never already expired."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from tests.factories import VialLotFactory, seeded
from treatments.selectors import lots_usable
from treatments.services import lot_receive

from .conftest import at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_today")]


@pytest.fixture
def _today():
    with time_machine.travel(at(2030, 6, 3), tick=False):
        yield


def data(**overrides):
    values = {"product": seeded("Product", code="botox"), "lot_number": " C1234 ", "expiry_date": dt.date(2031, 1, 31),
              "vial_units": 200, "quantity_received": 12, "location": "Fridge 2"}
    values.update(overrides)
    return values


def test_a_manager_receives_a_lot_with_everything_on_hand(manager_user):
    lot = lot_receive(actor=manager_user, data=data())
    assert (lot.lot_number, lot.quantity_on_hand, lot.received_on) == ("C1234", 12, dt.date(2030, 6, 3))
    event = AuditEvent.objects.get(action="treatments.lot.received")
    assert event.actor == manager_user and event.changes["quantity_on_hand"] == [None, 12]
    assert list(lots_usable(product=lot.product)) == [lot]


@pytest.mark.parametrize(("overrides", "field"), [
    ({"vial_units": 150}, "vial_units"),
    ({"expiry_date": dt.date(2030, 6, 2)}, "expiry_date"),
    ({"quantity_received": 0}, "quantity_received"),
])
def test_bad_lots_are_refused(manager_user, overrides, field):
    with pytest.raises(ValidationError) as error:
        lot_receive(actor=manager_user, data=data(**overrides))
    assert field in error.value.message_dict


def test_the_same_lot_twice_is_refused(manager_user):
    lot_receive(actor=manager_user, data=data())
    with pytest.raises(ValidationError):
        lot_receive(actor=manager_user, data=data())


def test_clinicians_and_front_desk_cannot_receive_stock(clinician_user, front_desk_user):
    for user in (clinician_user, front_desk_user):
        with pytest.raises(PermissionDenied):
            lot_receive(actor=user, data=data())


def test_lots_usable_leaves_out_expired_and_empty_lots(manager_user):
    botox = seeded("Product", code="botox")
    good = VialLotFactory(product=botox, expiry_date=dt.date(2030, 6, 3))
    VialLotFactory(product=botox, expiry_date=dt.date(2030, 6, 2))
    VialLotFactory(product=botox, quantity_received=1, quantity_on_hand=0, expiry_date=dt.date(2099, 1, 1))
    assert list(lots_usable(product=botox, on=dt.date(2030, 6, 3))) == [good]
