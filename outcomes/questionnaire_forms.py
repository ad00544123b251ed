"""A patient's questionnaire step: one field per item of the instrument, built from its definition
(each item's question, the answer words and the ranges from ``outcomes.instruments``; no clinical
wording of our own), with large tap targets."""

from __future__ import annotations

from typing import Any

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms

from .instruments import Instrument, Item

# Items with at most this many whole-number answers (0–3, 0–4, 0–10) are a row of buttons; wider
# ranges (days in a month, 0–100) are a number box, where a row of buttons would not fit a phone.
MOST_BUTTONS = 11
BUTTONS_TEMPLATE = "outcomes/questionnaire/_answer_buttons.html"


def _field(instrument: Instrument, item: Item) -> forms.Field:
    low, high = int(item.minimum), int(item.maximum)
    messages = {
        "invalid_choice": "Please choose one of the answers.",
        "invalid": "Please enter a whole number.",
        "min_value": f"Please enter a number from {low} to {high}.",
        "max_value": f"Please enter a number from {low} to {high}.",
    }
    # The item's own question; the staff label only for an instrument never offered to patients.
    label = item.question or item.label
    if item.whole and high - low + 1 <= MOST_BUTTONS:
        field = forms.TypedChoiceField(
            label=label, required=False, coerce=int, empty_value=None, error_messages=messages,
            choices=instrument.answer_choices(item), widget=forms.RadioSelect(attrs={"class": "btn-check"}),
            help_text="" if instrument.answer_labels else f"Choose a number from {low} to {high}.",
        )
        field.stacked = bool(instrument.answer_labels)  # worded answers: one full-width button each
        return field
    field_class = forms.IntegerField if item.whole else forms.DecimalField
    return field_class(
        label=label, required=False, min_value=item.minimum, max_value=item.maximum,
        error_messages=messages, help_text=f"A number from {low} to {high}.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric" if item.whole else "decimal"}),
    )


class QuestionnaireStepForm(forms.Form):
    """``submit``: the patient pressed Next, so every item needs an answer; saving for later
    takes whatever is there. Either way each answer given is checked on its own. (Fields are
    never ``required``, which would mark them so only after a Next; ``clean`` asks instead.)"""

    step = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, instrument: Instrument, submit: bool = False, last: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument, self.submit = instrument, submit
        self.fields["step"].initial = instrument.code
        for item in instrument.items:
            self.fields[item.code] = _field(instrument, item)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}  # our messages, not the browser's, so that nothing typed is lost
        self.helper.layout = Layout(
            "step",
            *(Field(item.code, template=BUTTONS_TEMPLATE) if isinstance(self.fields[item.code], forms.ChoiceField)
              else Field(item.code, css_class="form-control-lg") for item in instrument.items),
            Div(
                StrictButton("Send answers" if last else "Next", type="submit", name="next", value="1",
                             css_class="btn-primary btn-lg", data_testid="next"),
                StrictButton("Save and finish later", type="submit", name="save", value="1",
                             css_class="btn-outline-secondary btn-lg", data_testid="save"),
                css_class="d-grid gap-2 d-sm-flex mt-4",
            ),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.submit:
            for item in self.instrument.items:
                if item.code not in self.errors and cleaned.get(item.code) is None:
                    self.add_error(item.code, "Please answer this question.")
        return cleaned

    def answers(self) -> dict[str, Any]:
        """After ``is_valid()``: every answer that passed its check (None where left blank); an
        answer that failed is left out, so the one saved before it is kept."""
        data = getattr(self, "cleaned_data", {})
        return {item.code: data[item.code] for item in self.instrument.items if item.code in data}
