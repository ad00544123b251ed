"""The scene for reminder tests: patients with consent, plans, appointments, and the real parts
the reminders talk to: a local SMTP server (aiosmtpd) and a local HTTP server shaped like
Twilio's Messages API. Clinic-local times are America/Chicago; "now" moves with time-machine.

Reference rows (indication, product) are made here rather than taken from the seed migration,
because transactional tests flush the database.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller

from accounts.roles import Role
from patients.models import Channel, ReminderPreference
from reminders.links import link_codes_issue, link_url
from reminders.models import Reminder, ReminderState
from reminders.sending import reminders_send
from reminders.sweep import (
    reminders_cancel_unwanted,
    reminders_create,
    reminders_mark_missed,
    reminders_reap_stale_sending,
)
from scheduling.services import appointment_book
from tests.celery.fixtures import project_app_on_broker, wait_for
from tests.factories import (
    AppointmentFactory,
    AppointmentTypeFactory,
    ContactConsentFactory,
    PatientFactory,
    RoomFactory,
    ScenePlanFactory,
    UserFactory,
    WorkingHoursFactory,
    signed_history_make,
)

CHICAGO = ZoneInfo("America/Chicago")
PRODUCT_AND_DIAGNOSIS_WORDS = ("botox", "testox", "toxin", "migraine", "dystonia", "units", "dose", "diagnosis")


def local(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=CHICAGO)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def clinician(db):
    return UserFactory(username="rivera", display_name="Dr. Rivera", role=Role.CLINICIAN)


@pytest.fixture
def make_patient(db) -> Callable:
    def make(*, channel: str = ReminderPreference.SMS, consent: tuple[str, ...] = (Channel.SMS, Channel.EMAIL),
             **fields):
        patient = PatientFactory(preferred_channel=channel, **fields)
        for consent_channel in consent:
            ContactConsentFactory(patient=patient, channel=consent_channel)
        return patient

    return make


@pytest.fixture
def make_plan(db, clinician) -> Callable:
    def make(patient, *, cycle_weeks: int = 12, start_date: dt.date = dt.date(2026, 1, 5), **extra):
        return ScenePlanFactory(patient=patient, responsible_clinician=clinician, cycle_weeks=cycle_weeks,
                                start_date=start_date, **extra)

    return make


@pytest.fixture
def sign(clinician) -> Callable:
    def make(plan, performed_at: dt.datetime):
        return signed_history_make(plan=plan, performed_at=performed_at, clinician=clinician)

    return make


@pytest.fixture
def make_appointment(db) -> Callable:
    def make(patient, start_at: dt.datetime, *, injection: bool = False, plan=None, **extra):
        kind = AppointmentTypeFactory(name="Injection session" if injection else "Follow-up", is_injection=injection)
        # A clinician and a room each, so no two scene appointments overlap on PostgreSQL.
        return AppointmentFactory(patient=patient, clinician=UserFactory(), room=RoomFactory(), appointment_type=kind,
                                  plan=plan, start_at=start_at, **extra)

    return make


# --- A local SMTP server --------------------------------------------------------------------------

class _Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_inbox(settings) -> Iterator[_Inbox]:
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield inbox
    finally:
        controller.stop()


# --- A local HTTP server standing in for Twilio ---------------------------------------------------

class SmsGateway:
    """Answers like Twilio's ``POST /2010-04-01/Accounts/<sid>/Messages.json``.

    ``mode``: "ok" (201), "429", "500", "400" (a bad number: permanent), or "timeout_after_accept"
    (reads the request, records it as accepted, then answers too late for the client's timeout).
    ``mode_for``: a mode for messages to one number, overriding ``mode``. "hold" records the
    request and answers only once ``released`` is set: a provider mid-call, the moment to kill a sender.
    """

    def __init__(self) -> None:
        self.mode = "ok"
        self.mode_for: dict[str, str] = {}
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        self.released = threading.Event()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                form = {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}
                with gateway.lock:
                    mode = gateway.mode_for.get(form.get("To", ""), gateway.mode)
                    gateway.requests.append({"path": self.path, "form": form, "mode": mode})
                    sid = f"SM{len(gateway.requests):032d}"
                if mode == "hold":
                    gateway.released.wait(timeout=60)
                    self._answer(201, {"sid": sid, "status": "queued", "body": form.get("Body")})
                elif mode == "timeout_after_accept":
                    time.sleep(1.5)
                    self._answer(201, {"sid": sid, "status": "queued", "body": form.get("Body")})
                elif mode in ("429", "500", "400"):
                    code = {"429": 20429, "500": 20500, "400": 21211}[mode]
                    self._answer(int(mode), {"code": code, "message": f"error {mode}", "status": int(mode)})
                else:
                    self._answer(201, {"sid": sid, "status": "queued", "to": form.get("To"), "body": form.get("Body")})

            def _answer(self, status: int, payload: dict) -> None:
                body = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (timeout_after_accept)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def bodies(self) -> list[str]:
        return [request["form"].get("Body", "") for request in self.requests]

    def accepted(self) -> list[dict]:
        return [request for request in self.requests if request["mode"] in ("ok", "timeout_after_accept")]


@pytest.fixture
def sms_gateway(settings) -> Iterator[SmsGateway]:
    gateway = SmsGateway()
    gateway.thread.start()
    settings.REMINDERS_SMS_TRANSPORT = "reminders.transports.sms.TwilioSms"
    settings.TWILIO_ACCOUNT_SID = "AC" + "0" * 32
    settings.TWILIO_AUTH_TOKEN = "test-auth-token"
    settings.TWILIO_FROM_NUMBER = "+13125550100"
    settings.TWILIO_API_BASE_URL = gateway.url
    settings.TWILIO_TIMEOUT = 0.5
    settings.REMINDERS_PUBLIC_BASE_URL = "https://clinic.example"
    try:
        yield gateway
    finally:
        gateway.released.set()
        gateway.server.shutdown()
        gateway.server.server_close()


@pytest.fixture
def due_sms_reminder(make_patient, make_appointment) -> Callable:
    """A scheduled appointment SMS reminder, due now (made by the sweep's own creation step)."""
    from django.utils import timezone

    def make(**patient_fields):
        now = timezone.now()
        patient = make_patient(**patient_fields)
        appointment = make_appointment(patient, now + dt.timedelta(hours=20))
        reminders_create(now)
        reminder = Reminder.objects.get(appointment=appointment, channel="sms", kind="appointment")
        Reminder.objects.filter(pk=reminder.pk).update(due_at=now)  # whatever the hour the suite runs at
        reminder.refresh_from_db()
        return reminder

    return make


def outbox_pass() -> list[int]:
    """One sweep without the broker, then what workers would do with the due rows, a batch of
    ``REMINDERS_SEND_BATCH`` at a time: for tests that walk time with time-machine (the
    real-broker path has its own tests). Returns the ids sent."""
    from django.conf import settings
    from django.utils import timezone

    now = timezone.now()
    reminders_create(now)
    reminders_cancel_unwanted(now)
    reminders_mark_missed(now)
    reminders_reap_stale_sending(now)
    due = list(Reminder.objects.filter(state=ReminderState.SCHEDULED, due_at__lte=now).order_by("due_at", "pk")
               .values_list("pk", flat=True))
    size = settings.REMINDERS_SEND_BATCH
    states: dict[int, str] = {}
    for start in range(0, len(due), size):
        states |= reminders_send(reminder_ids=due[start:start + size])
    return [pk for pk in due if states[pk] == ReminderState.SENT]


@pytest.fixture
def sms_file(settings, tmp_path):
    """The development file transport, for time-travel tests: one JSON line per SMS."""
    settings.REMINDERS_SMS_TRANSPORT = "reminders.transports.sms.FileSms"
    settings.REMINDERS_SMS_FILE = tmp_path / "sms.jsonl"
    settings.REMINDERS_PUBLIC_BASE_URL = "https://clinic.example"

    def read() -> list[dict]:
        path = settings.REMINDERS_SMS_FILE
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    return read


@pytest.fixture
def booking_scene(db):
    """A clinician who works every day, all day, in a room: ``appointment_book`` accepts any time."""
    room = RoomFactory()
    user = UserFactory(role=Role.CLINICIAN)
    for weekday in range(7):
        WorkingHoursFactory(clinician=user, location=room.location, weekday=weekday,
                            starts_at=dt.time(0, 0), ends_at=dt.time(23, 59))
    kind = AppointmentTypeFactory(name="Follow-up", default_duration_minutes=30)
    return {"room": room, "clinician": user, "kind": kind}


def book(scene: dict, patient, start_at: dt.datetime):
    """Book through the scheduling service (its hook brings the reminders up to date)."""
    return appointment_book(actor=scene["clinician"], patient=patient, clinician=scene["clinician"],
                            room=scene["room"], appointment_type=scene["kind"], start_at=start_at)


@contextmanager
def broker_down() -> Iterator[None]:
    """The project's app publishing to a port where nothing listens, as if Redis had stopped.

    kombu keeps connection pools process-wide, keyed by connection; closing them on the way in
    and out (as tests/celery's helper does) would leave the real broker's pool closed for the
    rest of the test, so they are forgotten as well. Celery reads the CELERY_BROKER_URL
    environment variable before its own configuration, so that is set aside meanwhile."""
    import os

    from kombu import pools

    from_environment = os.environ.pop("CELERY_BROKER_URL", None)
    pools.reset()
    try:
        with project_app_on_broker(f"redis://127.0.0.1:{free_port()}/14"):
            yield
    finally:
        if from_environment is not None:
            os.environ["CELERY_BROKER_URL"] = from_environment
        pools.reset()


# --- A sending worker killed mid-send ----------------------------------------------------------

_SEND_STEP = """
import datetime as dt, sys
import django, time_machine
django.setup()
from reminders.sending import reminders_send
with time_machine.travel(dt.datetime.fromisoformat(sys.argv[1]), tick=True):
    reminders_send(reminder_ids=[int(pk) for pk in sys.argv[2:]])
"""


def _database_url() -> str:
    """The test database, as ``DATABASE_URL`` for another process to open it."""
    from urllib.parse import quote

    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgres://{quote(db['USER'])}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def send_and_kill(reminders: list, gateway: SmsGateway, *, clock: dt.datetime) -> None:
    """Send ``reminders`` (committed, due) as a worker does, in a process of its own whose clock
    reads ``clock``, and kill it (SIGKILL) once the gateway holds a request in "hold" mode: what
    is left in the database is what a worker killed in the middle of that provider call leaves."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "clinic.settings", "DATABASE_URL": _database_url(),
           "REMINDERS_SMS_TRANSPORT": "reminders.transports.sms.TwilioSms",
           "TWILIO_ACCOUNT_SID": settings.TWILIO_ACCOUNT_SID, "TWILIO_AUTH_TOKEN": settings.TWILIO_AUTH_TOKEN,
           "TWILIO_FROM_NUMBER": settings.TWILIO_FROM_NUMBER, "TWILIO_API_BASE_URL": gateway.url,
           "TWILIO_TIMEOUT": "30", "REMINDERS_PUBLIC_BASE_URL": settings.REMINDERS_PUBLIC_BASE_URL}
    sender = subprocess.Popen(  # noqa: S603 - our own interpreter running our own code
        [sys.executable, "-c", _SEND_STEP, clock.isoformat(), *(str(r.pk) for r in reminders)],
        env=env, cwd=settings.BASE_DIR)
    try:
        wait_for(lambda: any(request["mode"] == "hold" for request in gateway.requests) or sender.poll() is not None,
                 timeout=60)
        assert sender.poll() is None, f"the sender exited ({sender.returncode}) before the provider call"
    finally:
        sender.kill()
        sender.wait()
    gateway.released.set()  # the provider answers a caller that is no longer there


@pytest.fixture
def killed_sender(due_sms_reminder, sms_gateway) -> Callable:
    """``kill(count, held=0)``: ``count`` SMS reminders, due long enough ago for the reaper, sent
    back then by a worker killed during row ``held``'s provider call (the rows before it were
    sent and recorded); returns the rows. The clock of the test itself is not moved."""
    import time_machine
    from django.conf import settings
    from django.utils import timezone

    def kill(count: int, *, held: int = 0) -> list:
        back_then = timezone.now() - dt.timedelta(minutes=settings.REMINDERS_STUCK_SENDING_MINUTES + 5)
        with time_machine.travel(back_then, tick=True):
            rows = [due_sms_reminder() for _ in range(count)]
            all_due = timezone.now()  # each is due from when it was made
        sms_gateway.mode_for[str(rows[held].patient.phone)] = "hold"
        send_and_kill(rows, sms_gateway, clock=all_due)
        return rows

    return kill


def link_path(reminder, purpose) -> str:
    """The path of ``reminder``'s ``purpose`` link, as its message carries it (the codes come
    from the sender's own service, which makes them where missing and reuses them after)."""
    return urlsplit(link_url(purpose, link_codes_issue([reminder])[reminder.pk][purpose])).path
