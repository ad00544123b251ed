"""Inventory: receiving vial lots. Sessions take stock out in ``sessions.session_save``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.access import require_manager
from audit.services import audit_record, changes_between, field_values

from ..models import VialLot

LOT_FIELDS = ("product", "lot_number", "expiry_date", "vial_units", "quantity_received", "location", "received_on")


@transaction.atomic
def lot_receive(*, actor: Any, data: Mapping[str, Any]) -> VialLot:
    """Record a delivery of vials: all of them are on hand. An expired lot is not accepted, and
    the vial size must be one the product comes in (its label's US vials, as ProductVialSize rows)."""
    require_manager(actor)
    values = {name: data[name] for name in LOT_FIELDS if name in data}
    values.setdefault("received_on", timezone.localdate())
    values["lot_number"] = str(values.get("lot_number", "")).strip()
    lot = VialLot(**values, quantity_on_hand=values.get("quantity_received") or 0)
    errors = {}
    product = values.get("product")
    if product is not None:
        sizes = set(product.vial_sizes.values_list("units", flat=True))
        if sizes and lot.vial_units not in sizes:
            errors["vial_units"] = (
                f"{product.brand_name} comes in {', '.join(f'{s} U' for s in sorted(sizes))} vials."
            )
    if lot.expiry_date and lot.is_expired_on(timezone.localdate()):
        errors["expiry_date"] = "This lot has already expired."
    if not lot.quantity_received:
        errors["quantity_received"] = "Receive at least one vial."
    if errors:
        raise ValidationError(errors)
    lot.full_clean()
    lot.save()
    audit_record(
        actor=actor, action="treatments.lot.received", target=lot,
        changes=changes_between({}, field_values(lot, LOT_FIELDS + ("quantity_on_hand",))),
    )
    return lot
