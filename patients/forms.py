from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.utils import timezone

from clinic.bounds import not_in_future

from .models import Channel, ConsentMethod, Patient
from .selectors import patient_find_duplicates
from .services import PATIENT_FIELDS


class PatientForm(forms.ModelForm):
    """Registration and edits. A likely duplicate must be confirmed before it is saved."""

    confirm_duplicate = forms.BooleanField(
        required=False, label="This is a different person; register anyway",
    )

    class Meta:
        model = Patient
        fields = PATIENT_FIELDS
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "weight_measured_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"phone": "Mobile number, e.g. (312) 555-0142 or +44 20 7946 0958."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicates: list[Patient] = []
        self.fields["weight_measured_on"].validators.append(not_in_future("The weighing date"))
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset("Patient", Row(Column("first_name"), Column("last_name"), Column("preferred_name")),
                     Row(Column("date_of_birth"), Column("sex"))),
            Fieldset("Contact", Row(Column("phone"), Column("email")),
                     Row(Column("preferred_channel"), Column("preferred_language"))),
            Fieldset("Address", "address_line1", "address_line2",
                     Row(Column("city"), Column("state"), Column("postal_code"))),
            Fieldset("Emergency contact", Row(Column("emergency_contact_name"),
                     Column("emergency_contact_relationship"), Column("emergency_contact_phone"))),
            Fieldset("Clinical", Row(Column("weight_kg"), Column("weight_measured_on")), "notes"),
            Field("confirm_duplicate", wrapper_class="d-none" if not self.is_bound else ""),
            Submit("save", "Save patient"),
        )

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born > timezone.localdate():
            raise forms.ValidationError("The date of birth cannot be in the future.")
        if born.year < 1900:
            raise forms.ValidationError("Check the year of birth.")
        return born

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("weight_kg") is not None and not cleaned.get("weight_measured_on"):
            cleaned["weight_measured_on"] = timezone.localdate()
        if not self.errors and not cleaned.get("confirm_duplicate"):
            self.duplicates = list(patient_find_duplicates(
                first_name=cleaned.get("first_name", ""), last_name=cleaned.get("last_name", ""),
                date_of_birth=cleaned.get("date_of_birth"), phone=cleaned.get("phone"),
                exclude_pk=self.instance.pk,
            ))
            if self.duplicates:
                raise forms.ValidationError(
                    "This looks like a patient who is already registered (same name and date of "
                    "birth, or same phone). Check the matches listed above; if this is a different person, "
                    "tick the box to confirm.",
                    code="possible_duplicate",
                )
        return cleaned


class PatientSearchForm(forms.Form):
    q = forms.CharField(
        required=False, label="Search",
        widget=forms.TextInput(attrs={"placeholder": "Name, date of birth, phone or MRN", "autofocus": True}),
    )
    archived = forms.BooleanField(required=False, label="Include archived")


class ConsentForm(forms.Form):
    channel = forms.ChoiceField(choices=Channel.choices)
    method = forms.ChoiceField(choices=[(ConsentMethod.VERBAL.value, ConsentMethod.VERBAL.label),
                                        (ConsentMethod.WRITTEN.value, ConsentMethod.WRITTEN.label)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
