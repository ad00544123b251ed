"""Production safety as Django system checks: with ``DEBUG`` off, the process refuses to start on a
setting that would leak or lose patients' messages.

The checks run with every management command that checks (``runserver``, ``migrate``,
``check``, ``check --deploy``), and ``refuse_to_start_on_errors`` runs them where Django does
not: in the web process (clinic/wsgi.py) and the Celery worker (clinic/celery.py).
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

# Email backends and SMS transports that print, keep or drop messages instead of sending them:
# in production each would put reminders (names, times, live links) in a log or lose them.
INSECURE_EMAIL_BACKENDS = frozenset({
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
})
INSECURE_SMS_TRANSPORTS = frozenset({
    "reminders.transports.sms.FileSms",
    "reminders.transports.sms.ConsoleSms",
    "reminders.transports.noop.NoopSms",
})


def _insecure_transports() -> list[str]:
    found = []
    if settings.EMAIL_BACKEND in INSECURE_EMAIL_BACKENDS:
        found.append(f"EMAIL_BACKEND {settings.EMAIL_BACKEND} (set EMAIL_URL to an SMTP server)")
    if settings.REMINDERS_SMS_TRANSPORT in INSECURE_SMS_TRANSPORTS:
        found.append(f"REMINDERS_SMS_TRANSPORT {settings.REMINDERS_SMS_TRANSPORT} "
                     "(set it to reminders.transports.sms.TwilioSms)")
    return found


@checks.register(checks.Tags.security)
def insecure_transports_refused_in_production(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if settings.DEBUG or settings.ALLOW_INSECURE_TRANSPORTS_IN_PRODUCTION:
        return []
    return [checks.Error(f"Production (DJANGO_DEBUG=false) with a development transport: {found}.",
                         hint="Only for a throw-away staging server: ALLOW_INSECURE_TRANSPORTS_IN_PRODUCTION=true.",
                         id="clinic.E001") for found in _insecure_transports()]


@checks.register(checks.Tags.security, deploy=True)
def insecure_transports_allowed(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if settings.DEBUG or not settings.ALLOW_INSECURE_TRANSPORTS_IN_PRODUCTION:
        return []
    return [checks.Warning(f"ALLOW_INSECURE_TRANSPORTS_IN_PRODUCTION lets {found} print or drop patients' messages.",
                           id="clinic.W002") for found in _insecure_transports()]


@checks.register(checks.Tags.security)
def public_base_url_is_https_in_production(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Patients' links are built on it; a link to http:// or to a developer's port is dead or unsafe."""
    url = settings.REMINDERS_PUBLIC_BASE_URL
    if settings.DEBUG or (url.startswith("https://") and len(url) > len("https://")):
        return []
    return [checks.Error(f"REMINDERS_PUBLIC_BASE_URL must be the clinic's https:// address in production, "
                         f"not {url!r}.", hint="e.g. REMINDERS_PUBLIC_BASE_URL=https://care.example.org",
                         id="clinic.E003")]


def refuse_to_start_on_errors() -> None:
    """Raise ``ImproperlyConfigured`` listing every system check error, for processes Django's
    commands do not start (gunicorn's WSGI application, the Celery worker)."""
    errors = [message for message in checks.run_checks() if message.is_serious()]
    if errors:
        raise ImproperlyConfigured("Refusing to start:\n" + "\n".join(f"  {error}" for error in errors))
