"""Receiving a lot: an expiry more than ten years ahead, a receipt date in the future or before
1900 is a field error, and nothing is stocked."""

import pytest
from django.urls import reverse

from tests.factories import seeded
from treatments.models import VialLot

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("field", "value"), [("expiry_date", "9999-12-31"), ("expiry_date", "2099-01-31"),
                                              ("received_on", "9999-12-31"), ("received_on", "1899-12-31")])
def test_a_far_lot_date_is_a_field_error_and_stocks_nothing(manager_client, field, value):
    data = {"vial_size": seeded("ProductVialSize", product__code="botox", units=100).pk, "lot_number": "FAR1",
            "expiry_date": "2028-01-31", "quantity_received": "3", "received_on": "2026-11-20", field: value}
    response = manager_client.post(reverse("treatments:lot_receive"), data)
    assert response.status_code == 200 and response.context["form"].errors[field]
    assert not VialLot.objects.exists()
