"""Production refuses to start without a real audit key (system check audit.E001)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from audit.checks import audit_key_check

REAL_KEY = "Zq1v" * 12


@pytest.mark.parametrize("key", ["", "short-key", "dev-only-audit-key-do-not-use-in-production"],
                         ids=["missing", "short", "the-development-key"])
def test_production_without_a_real_audit_key_fails_the_check(settings, key):
    settings.DEBUG, settings.AUDIT_HMAC_KEY = False, key
    assert [error.id for error in audit_key_check(None)] == ["audit.E001"]
    with pytest.raises(SystemCheckError, match="AUDIT_HMAC_KEY"):
        call_command("check")


def test_production_with_a_real_audit_key_passes(settings):
    settings.DEBUG, settings.AUDIT_HMAC_KEY = False, REAL_KEY
    assert audit_key_check(None) == []


def test_development_may_use_the_development_key(settings):
    settings.DEBUG, settings.AUDIT_HMAC_KEY = True, "dev-only-audit-key-do-not-use-in-production"
    assert audit_key_check(None) == []
