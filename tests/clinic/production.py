"""The environment of a production process, for tests that start one (settings are read at import)."""

from __future__ import annotations

import os
import secrets

# Set by test-only code in this process (Playwright's conftest sets DJANGO_ALLOW_ASYNC_UNSAFE for
# the whole session); a production process would not have them, and check --deploy rejects it.
_NOT_IN_PRODUCTION = {"DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}

# What production requires, at safe values (as in .ci/run's check --deploy step). The Twilio
# values are placeholders: nothing here sends.
SAFE_PRODUCTION_SETTINGS = {
    "DJANGO_DEBUG": "false",
    "ALLOWED_HOSTS": "clinic.example",
    "EMAIL_URL": "smtp+tls://reminders:placeholder@smtp.clinic.example:587",
    "REMINDERS_SMS_TRANSPORT": "reminders.transports.sms.TwilioSms",
    "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
    "TWILIO_AUTH_TOKEN": "placeholder-twilio-auth-token",
    "TWILIO_FROM_NUMBER": "+13125550100",
    "REMINDERS_PUBLIC_BASE_URL": "https://care.lakesideneuro.org",
    "AUDIT_HMAC_KEY": "x" * 64,  # the audit chain's key (a real one is random and secret)
}


def production_environ(**overrides: str) -> dict[str, str]:
    """A production process's environment; an override of None leaves that variable unset."""
    environ = {name: value for name, value in os.environ.items() if name not in _NOT_IN_PRODUCTION}
    environ.update(SAFE_PRODUCTION_SETTINGS, SECRET_KEY=secrets.token_urlsafe(45),
                   DJANGO_SETTINGS_MODULE="clinic.settings")
    environ.update(overrides)
    return {name: value for name, value in environ.items() if value is not None}
