from __future__ import annotations

import datetime as dt

from django.db import models

from .reference import Product


class VialLot(models.Model):
    """A manufacturer's lot of vials in stock. Stock goes down as sessions record opened vials."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="lots")
    lot_number = models.CharField(max_length=40)
    expiry_date = models.DateField()
    vial_units = models.PositiveIntegerField(help_text="Units per vial, e.g. 100 or 200.")
    quantity_received = models.PositiveIntegerField()
    quantity_on_hand = models.IntegerField()
    location = models.CharField(max_length=100, blank=True, help_text="e.g. 'Clinic fridge 2'.")
    received_on = models.DateField()

    class Meta:
        ordering = ["product", "expiry_date", "lot_number"]
        constraints = [
            models.UniqueConstraint(fields=["product", "lot_number", "vial_units"], name="unique_lot"),
            models.CheckConstraint(condition=models.Q(quantity_on_hand__gte=0), name="stock_not_negative"),
            models.CheckConstraint(
                condition=models.Q(quantity_on_hand__lte=models.F("quantity_received")), name="stock_within_received"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product.brand_name} {self.vial_units} U lot {self.lot_number} (exp. {self.expiry_date:%Y-%m-%d})"

    def is_expired_on(self, day: dt.date) -> bool:
        """A lot may be used up to and including its expiry date."""
        return day > self.expiry_date
