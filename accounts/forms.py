from django import forms


class SecondFactorCodeForm(forms.Form):
    """One box for either kind of code: the app's six digits or a recovery code."""

    code = forms.CharField(
        label="Code", max_length=32,
        help_text="The 6-digit code your authenticator app shows, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


class AppCodeForm(forms.Form):
    code = forms.CharField(
        label="Code from the app", max_length=10,
        help_text="After scanning, the app shows a 6-digit code that changes every 30 seconds.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class SecondFactorResetForm(forms.Form):
    reason = forms.CharField(
        label="Reason", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded in the audit trail, e.g. 'Phone lost; identity checked in person by J. Smith'.",
    )
