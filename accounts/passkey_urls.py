"""django-otp-webauthn's endpoints under its own namespace (its script reverses these names),
with the two last steps swapped for ours: they also audit, issue recovery codes, and end the
sign-in for the lockout."""

from django.urls import path
from django_otp_webauthn import urls as library

from .views.enrolment import PasskeyRegisterView
from .views.sign_in import PasskeyVerifyView

app_name = "otp_webauthn"

_OURS = {
    "credential-registration-complete": PasskeyRegisterView.as_view(),
    "credential-authentication-complete": PasskeyVerifyView.as_view(),
}

urlpatterns = [
    path(str(pattern.pattern), _OURS.get(pattern.name, pattern.callback), name=pattern.name)
    for pattern in library.urlpatterns
]
