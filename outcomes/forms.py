"""The clinician's entry form: one field per item of the instrument, built from its definition."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from clinic.bounds import VIEW_HORIZON_DAYS, date_within, not_in_future
from treatments.models import BodyRegion, Indication, InjectionSession, Muscle, Side, TreatmentPlan

from .instruments import ASHWORTH_GRADES, Instrument, Item, item_not_allowed_message
from .report import ReportFilters

ASHWORTH_ROWS = 6  # muscles per Modified Ashworth entry; enough for one limb's usual targets


def _item_field(instrument: Instrument, item: Item) -> forms.Field:
    """The item as the patient reads it (its question, where it has one), so that a clinician
    asking it aloud uses the same words; worded answers as a list showing score and words."""
    label = item.question or item.label
    help_text = "" if item.scored else "Not scored: recorded for context."
    if instrument.answer_labels:
        return forms.TypedChoiceField(
            label=label, help_text=help_text, coerce=int,
            choices=[("", "—")] + [(value, f"{value} — {words}") for value, words in instrument.answer_choices(item)],
        )
    return forms.DecimalField(label=label, min_value=item.minimum, max_value=item.maximum,
                              decimal_places=0 if item.whole else 2, help_text=help_text,
                              validators=[_allowed_validator(item)] if item.allowed is not None else [])


def _allowed_validator(item: Item):
    """Refuse, on the field itself, a value inside the range that the item cannot take (a HIT-6
    total of 37); the scoring function refuses it again."""
    def validate(value) -> None:
        if value is not None and value not in item.allowed:
            raise forms.ValidationError(item_not_allowed_message(item, value), code="not_possible")
    return validate


class AssessmentForm(forms.Form):
    taken_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}),
                               validators=[not_in_future("The date the scores were taken")])
    plan = forms.ModelChoiceField(queryset=TreatmentPlan.objects.none(), required=False,
                                  help_text="Blank for a standalone assessment.")
    session = forms.ModelChoiceField(queryset=InjectionSession.objects.none(), required=False)

    def __init__(self, *args: Any, instrument: Instrument, patient, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("taken_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.fields["plan"].queryset = TreatmentPlan.objects.filter(patient=patient).select_related(
            "indication", "product")
        self.fields["session"].queryset = InjectionSession.objects.filter(patient=patient).select_related(
            "product").order_by("-performed_at")
        if instrument.per_muscle:
            muscles = Muscle.objects.filter(region__in=[BodyRegion.UPPER_LIMB, BodyRegion.LOWER_LIMB])
            for n in range(1, ASHWORTH_ROWS + 1):
                self.fields[f"muscle_{n}"] = forms.ModelChoiceField(muscles, required=n == 1, label=f"Muscle {n}")
                self.fields[f"side_{n}"] = forms.ChoiceField(
                    choices=[(Side.LEFT, "Left"), (Side.RIGHT, "Right")], required=False, label="Side")
                self.fields[f"grade_{n}"] = forms.ChoiceField(
                    choices=[("", "—")] + [(g, g) for g in ASHWORTH_GRADES], required=n == 1, label="Grade")
        for item in instrument.items:
            self.fields[f"item_{item.code}"] = _item_field(instrument, item)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Save scores"))

    def items(self) -> dict[str, Any]:
        """The answers as the scoring function takes them (it validates them again)."""
        data = self.cleaned_data
        if self.instrument.per_muscle:
            return {
                f"{data[f'muscle_{n}'].name} ({data[f'side_{n}'] or 'left'})": data[f"grade_{n}"]
                for n in range(1, ASHWORTH_ROWS + 1) if data.get(f"muscle_{n}") and data.get(f"grade_{n}")
            }
        return {item.code: data[f"item_{item.code}"] for item in self.instrument.items}


class ReportFilterForm(forms.Form):
    """The clinic outcomes report's filters; every one optional (blank = the whole clinic, all time)."""

    since = forms.DateField(label="Sessions from", required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                            validators=[date_within(days_ahead=VIEW_HORIZON_DAYS)])
    until = forms.DateField(label="to", required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                            validators=[date_within(days_ahead=VIEW_HORIZON_DAYS)])
    indication = forms.ModelChoiceField(queryset=Indication.objects.all(), required=False,
                                        empty_label="All indications")
    clinician = forms.ModelChoiceField(queryset=get_user_model().objects.none(), required=False,
                                       empty_label="All clinicians", label="Responsible clinician")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clinician"].queryset = (
            get_user_model().objects.filter(plans__isnull=False).distinct().order_by("last_name", "username"))
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Row(Column("since"), Column("until"), Column("indication"), Column("clinician")), Submit("show", "Show"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("since") and cleaned.get("until") and cleaned["since"] > cleaned["until"]:
            self.add_error("until", "The end date is before the start date.")
        return cleaned

    def filters(self) -> ReportFilters:
        return ReportFilters(**{name: self.cleaned_data.get(name) for name in ("since", "until", "indication",
                                                                               "clinician")})
