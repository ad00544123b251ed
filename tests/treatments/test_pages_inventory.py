"""Inventory: the lot list, receiving a lot (managers), and the recall look-up with its CSV."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import (
    PatientFactory,
    SessionVialFactory,
    TreatmentPlanFactory,
    VialLotFactory,
    seeded,
    signed_session_make,
)
from treatments.models import VialLot

pytestmark = pytest.mark.django_db


def test_the_lot_list_flags_expired_lots(clinician_client):
    VialLotFactory(lot_number="EXP1", expiry_date=dt.date(2021, 5, 1))
    VialLotFactory(lot_number="OK1")
    html = clinician_client.get(reverse("treatments:lot_list")).content.decode()
    assert "EXP1" in html and "OK1" in html and html.count("expired: do not use") == 1


def test_a_manager_receives_a_lot(manager_client):
    size = seeded("ProductVialSize", product__code="botox", units=200)
    response = manager_client.post(reverse("treatments:lot_receive"), {
        "vial_size": size.pk, "lot_number": " C9999 ", "expiry_date": "2028-01-31", "quantity_received": "12",
        "location": "Fridge 2", "received_on": "2026-11-20",
    })
    assert response.status_code == 302
    lot = VialLot.objects.get(lot_number="C9999")
    assert (lot.vial_units, lot.quantity_on_hand, lot.product.code) == (200, 12, "botox")


def test_an_expired_lot_is_not_received(manager_client):
    size = seeded("ProductVialSize", product__code="botox", units=100)
    response = manager_client.post(reverse("treatments:lot_receive"), {
        "vial_size": size.pk, "lot_number": "OLD", "expiry_date": "2020-01-31", "quantity_received": "3",
        "received_on": "2026-11-20",
    })
    assert response.status_code == 200
    assert "already expired" in response.content.decode()
    assert not VialLot.objects.filter(lot_number="OLD").exists()


def test_the_recall_look_up_lists_every_recipient_with_session_dates_and_exports_csv(clinician_client):
    lot = VialLotFactory(lot_number="RECALL1")
    other_lot = VialLotFactory(lot_number="OTHER")
    plans = [TreatmentPlanFactory(patient=PatientFactory(last_name=name)) for name in ("Abbott", "Baker")]
    for plan in plans:
        session = signed_session_make(plan=plan, performed_at=dt.datetime(2026, 6, 1, 15, tzinfo=dt.UTC))
        SessionVialFactory(session=session, lot=lot)
    outsider = signed_session_make(plan=TreatmentPlanFactory(patient=PatientFactory(last_name="Carter")),
                                   performed_at=dt.datetime(2026, 6, 2, 15, tzinfo=dt.UTC))
    SessionVialFactory(session=outsider, lot=other_lot)
    html = clinician_client.get(reverse("treatments:lot_recipients", kwargs={"pk": lot.pk})).content.decode()
    assert "Abbott" in html and "Baker" in html and "Carter" not in html and "Jun 1, 2026" in html
    csv = clinician_client.get(reverse("treatments:lot_recipients_csv", kwargs={"pk": lot.pk}))
    rows = csv.getvalue().decode().splitlines()  # streamed: getvalue() joins the chunks
    assert csv["Content-Disposition"] == 'attachment; filename="lot-RECALL1-recipients.csv"'
    assert len(rows) == 3 and rows[0].startswith("MRN,Last name")
    assert {row.split(",")[1] for row in rows[1:]} == {"Abbott", "Baker"}
