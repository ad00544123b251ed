"""Staff forms for the outbox: the filter and the "send again" confirmation."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Row, Submit
from django import forms

from .models import ReminderKind
from .selectors import OUTBOX_TABS


class OutboxFilterForm(forms.Form):
    tab = forms.ChoiceField(choices=[(tab, tab.title()) for tab in OUTBOX_TABS], required=False,
                            widget=forms.HiddenInput)
    q = forms.CharField(required=False, label="Patient",
                        widget=forms.TextInput(attrs={"placeholder": "MRN or name"}))
    kind = forms.ChoiceField(choices=[("", "Any kind"), *ReminderKind.choices], required=False, label="Kind")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Row(
            Field("tab"), Column("q", css_class="col-md-5"), Column("kind", css_class="col-md-4"),
            Column(Submit("filter", "Filter", css_class="btn-outline-primary mt-md-4"), css_class="col-md-3"),
        )


class SendAgainForm(forms.Form):
    provider_checked = forms.BooleanField(
        required=False, label="I checked the provider: it was not delivered",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
