"""The environment of a production process, for tests that start one (settings are read at import)."""

from __future__ import annotations

import os
import secrets

# Set by test-only code in this process (Playwright's conftest sets DJANGO_ALLOW_ASYNC_UNSAFE for
# the whole session); a production process would not have them, and check --deploy rejects it.
_NOT_IN_PRODUCTION = {"DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}


def production_environ(**overrides: str) -> dict[str, str]:
    environ = {name: value for name, value in os.environ.items() if name not in _NOT_IN_PRODUCTION}
    environ.update(
        DJANGO_DEBUG="false", SECRET_KEY=secrets.token_urlsafe(45), ALLOWED_HOSTS="clinic.example",
        DJANGO_SETTINGS_MODULE="clinic.settings",
        AUDIT_HMAC_KEY=secrets.token_urlsafe(48),  # the audit chain's key: required in production
    )
    environ.update(overrides)
    return environ
