"""Receiving stock, and the date range for billing exports."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils import timezone

from clinic.bounds import EXPIRY_HORIZON_DAYS, VIEW_HORIZON_DAYS, date_within, not_in_future

from ..fields import ObjectChoiceField
from ..models import Product, ProductVialSize


class LotReceiveForm(forms.Form):
    vial_size = ObjectChoiceField(
        label="Product and vial size", label_of=lambda s: f"{s.product.brand_name} {s.units} U",
        group_of=lambda s: s.product.brand_name,
    )
    lot_number = forms.CharField(max_length=40)
    expiry_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                  validators=[date_within(days_ahead=EXPIRY_HORIZON_DAYS)])
    quantity_received = forms.IntegerField(min_value=1, max_value=10_000, label="Vials received")
    location = forms.CharField(max_length=100, required=False, help_text="e.g. 'Clinic fridge 2'.")
    received_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                  validators=[not_in_future("The date received")])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["vial_size"].set_objects(
            ProductVialSize.objects.filter(product__is_active=True).select_related("product")
        )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("vial_size"), Column("lot_number")),
            Row(Column("expiry_date"), Column("received_on")),
            Row(Column("quantity_received"), Column("location")),
            Submit("save", "Receive lot"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        expiry, received = cleaned.get("expiry_date"), cleaned.get("received_on")
        if expiry and received and expiry < received:
            self.add_error("expiry_date", "This lot had already expired when it was received; do not stock it.")
        return cleaned

    def lot_data(self) -> dict[str, Any]:
        """What ``lot_receive`` takes: the model's field names."""
        data = dict(self.cleaned_data)
        size: ProductVialSize = data.pop("vial_size")
        return {**data, "product": size.product, "vial_units": size.units}


class DateRangeForm(forms.Form):
    since = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                            validators=[date_within(days_ahead=VIEW_HORIZON_DAYS)])
    until = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                            validators=[date_within(days_ahead=VIEW_HORIZON_DAYS)])
    product = forms.ModelChoiceField(queryset=Product.objects.all(), required=False, empty_label="All products")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Row(Column("since"), Column("until"), Column("product")), Submit("export", "Download CSV"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("since") and cleaned.get("until") and cleaned["since"] > cleaned["until"]:
            self.add_error("until", "The end date is before the start date.")
        return cleaned
