"""Reliability row "Unsafe production": DJANGO_DEBUG defaults to false; in production a transport that
prints, keeps or drops patients' messages, or a patient-link base URL that is not https://,
stops `check --deploy` and every process (runserver, migrate, the worker, the WSGI application);
the loudly named allowance turns the refusal into a deploy warning."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from clinic.checks import (
    insecure_transports_allowed,
    insecure_transports_refused_in_production,
    public_base_url_is_https_in_production,
)

from .production import production_environ

SAFE_EMAIL = "django.core.mail.backends.smtp.EmailBackend"
SAFE_SMS = "reminders.transports.sms.TwilioSms"


def _run(*args: str, environ: dict[str, str], timeout: int = 90) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own programs, fixed arguments
        [sys.executable, *args], cwd=django_settings.BASE_DIR, env=environ,
        capture_output=True, text=True, timeout=timeout, check=False,
    )


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.EMAIL_BACKEND, settings.REMINDERS_SMS_TRANSPORT = SAFE_EMAIL, SAFE_SMS
    settings.REMINDERS_PUBLIC_BASE_URL = "https://care.lakesideneuro.org"
    settings.ALLOW_INSECURE_TRANSPORTS_IN_PRODUCTION = False
    return settings


@pytest.mark.parametrize(("setting", "value"), [
    ("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"),
    ("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"),
    ("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"),
    ("EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend"),
    ("REMINDERS_SMS_TRANSPORT", "reminders.transports.sms.FileSms"),
    ("REMINDERS_SMS_TRANSPORT", "reminders.transports.sms.ConsoleSms"),
    ("REMINDERS_SMS_TRANSPORT", "reminders.transports.noop.NoopSms"),
])
def test_a_development_transport_is_refused_in_production_unless_loudly_allowed(production, setting, value):
    assert insecure_transports_refused_in_production() == []  # the safe ones pass
    setattr(production, setting, value)
    errors = insecure_transports_refused_in_production()
    assert [error.id for error in errors] == ["clinic.E001"] and value in errors[0].msg
    production.ALLOW_INSECURE_TRANSPORTS_IN_PRODUCTION = True
    assert insecure_transports_refused_in_production() == []
    assert [warning.id for warning in insecure_transports_allowed()] == ["clinic.W002"]
    production.DEBUG = True  # development: anything goes, silently
    assert insecure_transports_refused_in_production() == insecure_transports_allowed() == []


@pytest.mark.parametrize("url", ["http://localhost:8000", "http://care.lakesideneuro.org", "", "https://"])
def test_a_base_url_that_is_not_https_is_refused_in_production(production, url):
    assert public_base_url_is_https_in_production() == []
    production.REMINDERS_PUBLIC_BASE_URL = url
    assert [error.id for error in public_base_url_is_https_in_production()] == ["clinic.E003"]
    production.DEBUG = True
    assert public_base_url_is_https_in_production() == []


def test_debug_defaults_to_false():
    environ = production_environ(DJANGO_DEBUG=None)
    result = _run("-c", "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
                  environ=environ)
    assert result.stdout.strip() == "False", result.stderr


# Each unsafe production setting, as the environment gives it (settings are read when a process starts).
UNSAFE_SETTINGS = {
    "console-email": {"EMAIL_URL": "consolemail://"},
    "locmem-email": {"EMAIL_URL": "memorymail://"},
    "file-sms": {"REMINDERS_SMS_TRANSPORT": "reminders.transports.sms.FileSms"},
    "http-base-url": {"REMINDERS_PUBLIC_BASE_URL": "http://localhost:8000"},
    "no-base-url": {"REMINDERS_PUBLIC_BASE_URL": None},
    "twilio-without-token": {"TWILIO_AUTH_TOKEN": ""},
    "console-email-allowed-still-warns": {
        "EMAIL_URL": "consolemail://", "ALLOW_INSECURE_TRANSPORTS_IN_PRODUCTION": "true",
    },
}


def test_check_deploy_fails_on_each_unsafe_production_setting():
    # One process a setting, started side by side: each takes seconds to start Django, one after
    # another they would take the suite half a minute.
    running = {
        name: subprocess.Popen(  # noqa: S603 - our own program, fixed arguments
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=django_settings.BASE_DIR, env=production_environ(**unsafe),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for name, unsafe in UNSAFE_SETTINGS.items()
    }
    for name, process in running.items():
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode != 0, (name, stdout)
        markers = ("clinic.E001", "clinic.E003", "clinic.W002", "TWILIO")
        assert any(marker in stderr for marker in markers), (name, stderr)


def test_the_worker_and_the_web_application_refuse_to_start_in_unsafe_production():
    environ = production_environ(EMAIL_URL="consolemail://", CELERY_BROKER_URL="redis://127.0.0.1:1/0")
    # Both started at once (each takes seconds to start Django), then judged one by one.
    worker = subprocess.Popen(  # noqa: S603 - our own programs, fixed arguments
        [sys.executable, "-m", "celery", "-A", "clinic", "worker", "--pool", "solo"],
        cwd=django_settings.BASE_DIR, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    web = _run("-c", "import clinic.wsgi", environ=environ)
    assert web.returncode != 0 and "Refusing to start" in web.stderr
    _, worker_stderr = worker.communicate(timeout=120)
    assert worker.returncode != 0
    assert "Refusing to start" in worker_stderr and "clinic.E001" in worker_stderr


def test_the_web_application_starts_in_safe_production():
    web = _run("-c", "import clinic.wsgi; print('serving')", environ=production_environ())
    assert web.stdout.strip() == "serving", web.stderr
