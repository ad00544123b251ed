"""Production mode passes Django's deployment checklist, and refuses to start without a secret."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.conf import settings

from .production import production_environ


def _manage(*args: str, environ: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=environ,
        capture_output=True, text=True, timeout=60, check=False,
    )


def test_production_settings_pass_check_deploy_with_no_warnings():
    environ = production_environ()
    assert len(environ["SECRET_KEY"]) == 60
    result = _manage("check", "--deploy", "--fail-level", "WARNING", environ=environ)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "secret_key",
    [
        pytest.param("", id="empty"),
        pytest.param("too-short-to-be-a-real-key", id="short"),
        pytest.param("dev-only-insecure-key-do-not-use-in-production", id="the-development-default"),
    ],
)
def test_production_mode_refuses_to_start_without_a_real_secret_key(secret_key):
    result = _manage("check", "--deploy", environ=production_environ(SECRET_KEY=secret_key))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr


def test_production_mode_refuses_to_start_when_the_secret_key_is_unset():
    environ = production_environ()
    del environ["SECRET_KEY"]
    dotenv = settings.BASE_DIR / ".env"
    if dotenv.exists() and "SECRET_KEY" in dotenv.read_text():
        pytest.skip(".env on this machine sets SECRET_KEY, so it cannot be unset here")
    result = _manage("check", "--deploy", environ=environ)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
