"""Production refuses to start without a real audit key (system check audit.E001)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from audit.checks import audit_key_check
from tests.clinic.production import production_environ

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


def test_a_production_process_without_the_key_refuses_to_start():
    environ = production_environ()
    del environ["AUDIT_HMAC_KEY"]
    result = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", "check", "--deploy"], cwd=django_settings.BASE_DIR, env=environ,
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode != 0
    assert "audit.E001" in result.stderr
