"""Settings for the clinic system: one module, every difference comes from the environment.

Development defaults need nothing installed (SQLite, console email, local Redis or the embedded
broker), but development mode itself must be asked for: DJANGO_DEBUG defaults to false, which is
production mode (scripts/run.sh and the test configuration turn it on). Production refuses to
start without a real secret key, and (clinic/checks.py, reminders/checks.py) with a transport
that prints messages, without an https:// base URL for patients' links, or with an SMS template
that cannot fit one segment.
"""

from __future__ import annotations

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"  # runtime files: SQLite database, embedded broker, outbox files

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Fails closed: a server started without DJANGO_DEBUG is a production server.
DEBUG = env.bool("DJANGO_DEBUG", default=False)

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105 - refused when DEBUG is off
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when DJANGO_DEBUG=false."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

CLINIC_NAME = env.str("CLINIC_NAME", default="Lakeside Neurology Clinic")
CLINIC_PHONE = env.str("CLINIC_PHONE", default="+1 312 555 0142")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "phonenumber_field",
    "axes",
    "csp",
    # Database triggers that keep the audit table append-only on PostgreSQL.
    "pgtrigger",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "clinic",
    "accounts",
    "audit",
    "patients",
    "treatments",
    "scheduling",
    "reminders",
    "outcomes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second factor passed
    # Default-deny: every view needs a login unless marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.IdleLogoffMiddleware",
    # After the password, a user who owes a second factor reaches only the pages that take it.
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Turns django-ratelimit's refusals into the friendly 429 page (RATELIMIT_VIEW).
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks: it turns locked-out logins into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clinic.context_processors.clinic",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'clinic.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes SQLite's write lock at BEGIN, so two writers queue instead of failing
    # half-way with "database is locked"; it is what serializes booking and the audit chain.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file too, not SQLite's shared in-memory database: that one takes table locks
    # that fail at once instead of waiting, so no race test could mean anything on it.
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES["default"]["TEST"] = {
        "NAME": env.str("SQLITE_TEST_NAME", default=str(VAR_DIR / f"test-{os.getpid()}.sqlite3"))
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth, sessions, lockout --------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Idle logoff: a shared front-desk screen left open must not stay signed in. The session expires
# SESSION_COOKIE_AGE after it was last saved, and accounts.middleware.IdleLogoffMiddleware saves
# it (with the time last seen) at most once every IDLE_LOGOFF_RESOLUTION_SECONDS, instead of on
# every request: sign-out comes between AGE - RESOLUTION and AGE after the last request.
SESSION_COOKIE_AGE = env.int("IDLE_LOGOFF_SECONDS", default=30 * 60)
IDLE_LOGOFF_RESOLUTION_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-axes: lock the client (IP + username pair) after repeated failures. Behind a proxy the
# client's address is read from X-Forwarded-For, trusting only AXES_PROXY_COUNT hops, so one
# attacker does not lock out the whole clinic (whose requests all come from the proxy).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
# The address alone locks too, at a higher count, so one client trying one password on many
# usernames (spraying) stops; a clinic's staff may share one address, hence higher. Both limits
# live in accounts/lockout.py's handler, which also resets only the pair, and only once the
# second step has passed too (axes' own reset would fire at the password step).
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"], "ip_address"]
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20)
if AXES_ADDRESS_FAILURE_LIMIT <= AXES_FAILURE_LIMIT:
    raise ImproperlyConfigured("AXES_ADDRESS_FAILURE_LIMIT must be higher than AXES_FAILURE_LIMIT.")
AXES_HANDLER = "accounts.lockout.ClinicAxesHandler"
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT:
    # Each trusted proxy appends the address it saw, so the client is the entry that many
    # places from the right; anything further left is whatever the client chose to send.
    # In django-ipware's terms the header is client-first ("left-most") and, after the client,
    # lists the proxies other than the last one (whose address is REMOTE_ADDR): COUNT - 1.
    # Not strict: with strict checking ipware discards a header with extra (spoofed) entries
    # and falls back to the proxy's address, so a locked-out client could escape by adding one.
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1
    AXES_IPWARE_PROXY_ORDER = "left-most"
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    IPWARE_STRICT = False
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# --- Time ---------------------------------------------------------------------------------
# Everything is stored in UTC; pages show the clinic's local zone.
USE_TZ = True
TIME_ZONE = env.str("TIME_ZONE", default="America/Chicago")
USE_I18N = True
# --- Dates and times on screen, in emails, SMS and exports (clinic/formats/) ---
# The clinic's locale picks the formats ("Dec 2, 2026", "9:10 AM" for en-us); patients' messages
# switch to their own language. clinic/formats/<lang>/formats.py corrects Django's stock formats.
LANGUAGE_CODE = env.str("CLINIC_LOCALE", default="en-us")
FORMAT_MODULE_PATH = ["clinic.formats"]
PHONENUMBER_DEFAULT_REGION = env.str("PHONE_REGION", default="US")
PHONENUMBER_DB_FORMAT = "E164"

# --- Static files -------------------------------------------------------------------------
# Bootstrap comes from the npm registry at set-up (package.json); nothing vendored by hand.
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email --------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"{CLINIC_NAME} <no-reply@clinic.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -------------------------------------------------------------------------------
# The broker is Redis. `scripts/run.sh` falls back to an embedded broker (kombu's SQLAlchemy
# transport on a SQLite file) when no URL is set and no Redis answers on localhost.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A publish must not hang a web request when Redis is down (celery#4296): give up quickly;
# the database row stays due and the next sweep picks it up.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
# Redis redelivers an unacknowledged message after the visibility timeout; nothing we queue
# waits that long (no eta/countdown beyond minutes), so the default hour is kept explicit.
# These options are Redis's own: the embedded SQLAlchemy broker would pass them to create_engine
# and fail to start, so they apply only when the broker is Redis.
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {"socket_connect_timeout": 2, "socket_timeout": 5, "visibility_timeout": 3600}
    if CELERY_BROKER_URL.startswith(("redis://", "rediss://"))
    else {}
)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# --- Security -----------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
# Access logs: a search page's query string (patients' search terms, PHI) is dropped before any
# handler writes the line (clinic/access_log.py); search stays a GET, bookmarkable.
LOGGING["filters"] = {"search_terms_out": {"()": "clinic.access_log.SearchTermsOut"}}
LOGGING["loggers"].update({
    name: {"handlers": ["console"], "filters": ["search_terms_out"], "level": "INFO", "propagate": False}
    for name in ("django.server", "gunicorn.access")
})

# --- Reminders ------------------------------------------------------------------------------
# What is due lives in the database (reminders.Reminder); beat's sweep turns it into work.
# Offsets and windows are clinic-local (TIME_ZONE). See reminders/timing.py.
REMINDERS_CYCLE_DUE_DAYS_BEFORE = env.int("REMINDERS_CYCLE_DUE_DAYS_BEFORE", default=14)
REMINDERS_CYCLE_OVERDUE_DAYS_AFTER = env.int("REMINDERS_CYCLE_OVERDUE_DAYS_AFTER", default=7)
# After this many days past the overdue reminder, the front desk's recall list takes over.
REMINDERS_CYCLE_OVERDUE_WINDOW_DAYS = env.int("REMINDERS_CYCLE_OVERDUE_WINDOW_DAYS", default=21)
REMINDERS_APPOINTMENT_HOURS_BEFORE = {
    "email": env.int("REMINDERS_APPOINTMENT_EMAIL_HOURS_BEFORE", default=48),
    "sms": env.int("REMINDERS_APPOINTMENT_SMS_HOURS_BEFORE", default=24),
}
# Reminders go out only in this clinic-local daytime; one due at night waits for the morning.
REMINDERS_DAYTIME_START = env.str("REMINDERS_DAYTIME_START", default="09:00")
REMINDERS_DAYTIME_END = env.str("REMINDERS_DAYTIME_END", default="19:00")
# How far back a sweep creates rows a stopped beat did not (as `missed` when their window passed).
REMINDERS_CATCH_UP_DAYS = env.int("REMINDERS_CATCH_UP_DAYS", default=7)
REMINDERS_CONFIRMATION_LOOKBACK_HOURS = env.int("REMINDERS_CONFIRMATION_LOOKBACK_HOURS", default=24)
# Messaging rules (docs/reliability.md): at most 1 SMS a day and 3 a week per patient.
REMINDERS_SMS_PER_DAY = env.int("REMINDERS_SMS_PER_DAY", default=1)
REMINDERS_SMS_PER_WEEK = env.int("REMINDERS_SMS_PER_WEEK", default=3)
REMINDERS_MAX_ATTEMPTS = env.int("REMINDERS_MAX_ATTEMPTS", default=8)
# Longer than CELERY_TASK_TIME_LIMIT, so a row still `sending` after this has lost its worker.
REMINDERS_STUCK_SENDING_MINUTES = env.int("REMINDERS_STUCK_SENDING_MINUTES", default=10)
if REMINDERS_STUCK_SENDING_MINUTES * 60 <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("REMINDERS_STUCK_SENDING_MINUTES must exceed CELERY_TASK_TIME_LIMIT.")
REMINDERS_REPUBLISH_AFTER_SECONDS = env.int("REMINDERS_REPUBLISH_AFTER_SECONDS", default=300)
REMINDERS_DISPATCH_BATCH = env.int("REMINDERS_DISPATCH_BATCH", default=2000)
# Ids per send task: a task costs a worker about as much as a few sends, so batches of 25 make
# dispatch a matter of sends, not of Celery. A batch stops calling transports after
# REMINDERS_SEND_BATCH_SECONDS (the rest go back to the outbox at once); that plus the longest a
# single call can take (an SMTP send is several exchanges, each under EMAIL_TIMEOUT; Twilio's
# connect and read each under TWILIO_TIMEOUT) must fit under Celery's soft time limit.
REMINDERS_SEND_BATCH = env.int("REMINDERS_SEND_BATCH", default=25)
REMINDERS_SEND_BATCH_SECONDS = env.int("REMINDERS_SEND_BATCH_SECONDS", default=120)
# Patient links: how long they work, and how close to the visit a patient may still cancel online.
REMINDERS_LINK_MAX_AGE_DAYS = env.int("REMINDERS_LINK_MAX_AGE_DAYS", default=30)
REMINDERS_CANCEL_NOTICE_HOURS = env.int("REMINDERS_CANCEL_NOTICE_HOURS", default=24)
# Every patient link is built on this: scripts/run.sh sets it from the port it serves; production
# refuses to start unless it is https:// (clinic/checks.py).
REMINDERS_PUBLIC_BASE_URL = env.str("REMINDERS_PUBLIC_BASE_URL", default="http://localhost:8000")
# Production refuses the console, file and locmem email backends and the file, console and no-op
# SMS transports (they print or drop patients' messages) unless this is true: for a throw-away
# staging server only; `check --deploy` still warns.
ALLOW_INSECURE_TRANSPORTS_IN_PRODUCTION = env.bool("ALLOW_INSECURE_TRANSPORTS_IN_PRODUCTION", default=False)
# Reply to STOP with one confirmation text. Turn off if Twilio's Advanced Opt-Out already replies.
REMINDERS_SMS_OPT_OUT_CONFIRMATION = env.bool("REMINDERS_SMS_OPT_OUT_CONFIRMATION", default=True)
REMINDERS_SMS_TRANSPORT = env.str("REMINDERS_SMS_TRANSPORT", default="reminders.transports.sms.FileSms")
REMINDERS_SMS_FILE = VAR_DIR / "sms-outbox.jsonl"
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM_NUMBER = env.str("TWILIO_FROM_NUMBER", default="")
TWILIO_API_BASE_URL = env.str("TWILIO_API_BASE_URL", default="https://api.twilio.com")
TWILIO_TIMEOUT = env.float("TWILIO_TIMEOUT", default=10.0)
if REMINDERS_SMS_TRANSPORT.endswith("TwilioSms") and not (
    TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER
):
    raise ImproperlyConfigured(
        "The Twilio SMS transport needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER."
    )
# A reminder worker must not hang on a silent mail server (Django's default is no timeout).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
if REMINDERS_SEND_BATCH < 1 or (
    REMINDERS_SEND_BATCH_SECONDS + max(6 * EMAIL_TIMEOUT, 2 * TWILIO_TIMEOUT) >= CELERY_TASK_SOFT_TIME_LIMIT
):
    raise ImproperlyConfigured("REMINDERS_SEND_BATCH_SECONDS plus a transport call's worst case (6 x EMAIL_TIMEOUT, "
                               "2 x TWILIO_TIMEOUT) must stay under CELERY_TASK_SOFT_TIME_LIMIT.")
# Patients' own actions (links, SMS replies) are recorded under this inactive account.
REMINDERS_SELF_SERVICE_USERNAME = "patient-self-service"

# --- Audit trail: keyed chain, anchors, sealing ---------------------------------------------
# The chain is keyed (HMAC-SHA256) with a secret kept out of the database, so someone who can
# edit the table cannot recompute it. A fixed key is for development only: production refuses
# to start without a real one (audit/checks.py). Rotating it means re-sealing the chain.
_DEV_AUDIT_HMAC_KEY = "dev-only-audit-key-do-not-use-in-production"  # noqa: S105 - refused when DEBUG is off
AUDIT_HMAC_KEY = env.str("AUDIT_HMAC_KEY", default=_DEV_AUDIT_HMAC_KEY if DEBUG else "")
# Beat appends the chain's head (sequence and hash) here and to the log; keep the file (or the
# log) somewhere the database's users cannot write, and check it with `audit_verify --anchors`.
AUDIT_ANCHOR_FILE = env.path("AUDIT_ANCHOR_FILE", default=VAR_DIR / "audit-anchors.jsonl")
# Reads are logged unchained and sealed into the chain by beat, at most this many per transaction.
AUDIT_SEAL_BATCH = env.int("AUDIT_SEAL_BATCH", default=1000)

# --- Staff sign-in: second factor, password reset, rate limits, cache -------------------------
# Who must have a second factor (accounts/two_factor.py): the roles listed. Production: every
# role. Development and the demo (DJANGO_DEBUG=true): nobody is forced, everyone may enrol, so
# `make run` signs in with the printed logins. Tests turn it on with the `settings` fixture.
TWO_FACTOR_REQUIRED_ROLES = env.list(
    "TWO_FACTOR_REQUIRED_ROLES", default=[] if DEBUG else ["front desk", "clinician", "manager"]
)
if unknown_roles := set(TWO_FACTOR_REQUIRED_ROLES) - {"front desk", "clinician", "manager"}:
    raise ImproperlyConfigured(f"TWO_FACTOR_REQUIRED_ROLES names unknown roles: {sorted(unknown_roles)}.")
OTP_TOTP_ISSUER = CLINIC_NAME
# Passkeys (django-otp-webauthn) are a second factor only: the password always comes first.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# The site's domain (never an IP address): passkeys are bound to it, so changing it loses them.
OTP_WEBAUTHN_RP_ID = env.str("WEBAUTHN_RP_ID", default="localhost" if DEBUG else ALLOWED_HOSTS[0])
OTP_WEBAUTHN_RP_NAME = CLINIC_NAME
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list(
    "WEBAUTHN_ORIGINS", default=["http://localhost:8000"] if DEBUG else [f"https://{OTP_WEBAUTHN_RP_ID}"]
)
# Reset links work this long, and once (Django's token changes when the password does).
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT_SECONDS", default=60 * 60)

# Cache: rate-limit counters. Redis in production, shared by every web process; this process's
# memory in development. CACHE_URL as django-environ reads it, e.g. redis://127.0.0.1:6379/1.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://" if DEBUG else "redis://127.0.0.1:6379/1")}
if not DEBUG and CACHES["default"]["BACKEND"].rsplit(".", 1)[-1] in ("LocMemCache", "DummyCache"):
    raise ImproperlyConfigured("CACHE_URL must name a shared cache (Redis) in production: rate limits count there.")
# Per-client request limits on public and password-reset pages (django-ratelimit's "count/period",
# e.g. 30/m, 5/h). A client past one gets the friendly 429 page. The client address is read as
# django-axes reads it, so behind TRUSTED_PROXY_COUNT proxies the real client is counted.
RATELIMIT_PATIENT_LINKS = env.str("RATELIMIT_PATIENT_LINKS", default="30/m")  # /p/c|x|o/<token>/
RATELIMIT_QUESTIONNAIRE = env.str("RATELIMIT_QUESTIONNAIRE", default="60/m")  # /p/q/<token>/, one per step
RATELIMIT_SMS_WEBHOOK = env.str("RATELIMIT_SMS_WEBHOOK", default="120/m")  # Twilio posts replies from few addresses
RATELIMIT_PASSWORD_RESET = env.str("RATELIMIT_PASSWORD_RESET", default="5/h")  # reset e-mails asked for
RATELIMIT_IP_META_KEY = "accounts.limits.client_address"
RATELIMIT_VIEW = "accounts.limits.too_many_requests"

# --- Calendar feed ------------------------------------------------------------------------------
# A clinician's calendar feed address stops working this many days after it was shown to them
# (the feed page then shows a new one); "Reset feed address" revokes every copy at once.
ICAL_FEED_MAX_AGE_DAYS = env.int("ICAL_FEED_MAX_AGE_DAYS", default=180)
