from __future__ import annotations

from django import forms
from django.utils import timezone

from .models import Location


class DayForm(forms.Form):
    """Which day (and optionally which location) the day view shows; today when blank."""

    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    location = forms.ModelChoiceField(queryset=Location.objects.filter(is_active=True), required=False,
                                      empty_label="All locations")

    def day(self):
        return (self.cleaned_data.get("date") if self.is_valid() else None) or timezone.localdate()

    def chosen_location(self) -> Location | None:
        return self.cleaned_data.get("location") if self.is_valid() else None
