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
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller

from accounts.roles import Role
from patients.models import Channel, ConsentMethod, ContactConsent, ReminderPreference
from tests.factories import AppointmentFactory, AppointmentTypeFactory, PatientFactory, RoomFactory, UserFactory

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
            ContactConsent.objects.create(patient=patient, channel=consent_channel, given_at=dt.datetime.now(dt.UTC),
                                          given_method=ConsentMethod.WRITTEN)
        return patient

    return make


@pytest.fixture
def make_plan(db, clinician) -> Callable:
    from treatments.models import DiagnosisCode, Indication, Product, TreatmentPlan

    def make(patient, *, cycle_weeks: int = 12, start_date: dt.date = dt.date(2026, 1, 5), **extra):
        indication, _ = Indication.objects.get_or_create(
            code="test_migraine", defaults={"name": "Test migraine", "default_cycle_weeks": 12,
                                            "minimum_interval_weeks": 10})
        diagnosis, _ = DiagnosisCode.objects.get_or_create(indication=indication, code="T00",
                                                           defaults={"description": "Test code"})
        product, _ = Product.objects.get_or_create(
            code="test_toxin", defaults={"brand_name": "Testox", "generic_name": "test toxin", "use_within_hours": 24})
        return TreatmentPlan.objects.create(
            patient=patient, indication=indication, diagnosis_code=diagnosis, product=product,
            responsible_clinician=clinician, cycle_weeks=cycle_weeks, minimum_interval_weeks=10,
            start_date=start_date, **extra)

    return make


@pytest.fixture
def sign(clinician) -> Callable:
    from treatments.models import InjectionSession, SessionStatus

    def make(plan, performed_at: dt.datetime):
        return InjectionSession.objects.create(
            plan=plan, patient=plan.patient, performed_at=performed_at, clinician=clinician, product=plan.product,
            status=SessionStatus.SIGNED, signed_at=performed_at, signed_by=clinician, created_by=clinician)

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
    ``mode_for``: a mode for messages to one number, overriding ``mode``.
    """

    def __init__(self) -> None:
        self.mode = "ok"
        self.mode_for: dict[str, str] = {}
        self.requests: list[dict] = []
        self.lock = threading.Lock()
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
                if mode == "timeout_after_accept":
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
        gateway.server.shutdown()
        gateway.server.server_close()


@pytest.fixture
def due_sms_reminder(make_patient, make_appointment) -> Callable:
    """A scheduled appointment SMS reminder, due now (made by the sweep's own creation step)."""
    from django.utils import timezone

    from reminders.models import Reminder
    from reminders.sweep import reminders_create

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


@pytest.fixture
def celery_worker(celery_app, transactional_db):
    """tests/celery's worker, after also forgetting kombu's process-wide pools: Celery's
    ``app.pool`` comes from ``kombu.pools.connections[connection]``, so after the previous
    test's teardown closed it (``force_close_all``), the next test got the same closed pool back
    ("Acquire on closed pool") for the same broker URL. Reported to the owner of
    tests/celery/fixtures.py; this override can go once that fixture does the same."""
    from kombu import pools

    from tests.celery.fixtures import _drop_connection_pools, worker_running

    _drop_connection_pools(celery_app)
    pools.reset()
    with worker_running(celery_app) as worker:
        yield worker


def outbox_pass() -> list[int]:
    """One sweep without the broker, then what workers would do with the due rows, a batch of
    ``REMINDERS_SEND_BATCH`` at a time: for tests that walk time with time-machine (the
    real-broker path has its own tests). Returns the ids sent."""
    from django.conf import settings
    from django.utils import timezone

    from reminders.models import Reminder, ReminderState
    from reminders.sending import reminders_send
    from reminders.sweep import (
        reminders_cancel_unwanted,
        reminders_create,
        reminders_mark_missed,
        reminders_reap_stale_sending,
    )

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
    from tests.factories import WorkingHoursFactory

    room = RoomFactory()
    user = UserFactory(role=Role.CLINICIAN)
    for weekday in range(7):
        WorkingHoursFactory(clinician=user, location=room.location, weekday=weekday,
                            starts_at=dt.time(0, 0), ends_at=dt.time(23, 59))
    kind = AppointmentTypeFactory(name="Follow-up", default_duration_minutes=30)
    return {"room": room, "clinician": user, "kind": kind}


def book(scene: dict, patient, start_at: dt.datetime):
    """Book through the scheduling service (its hook brings the reminders up to date)."""
    from scheduling.services import appointment_book

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

    from tests.celery.fixtures import project_app_on_broker

    from_environment = os.environ.pop("CELERY_BROKER_URL", None)
    pools.reset()
    try:
        with project_app_on_broker(f"redis://127.0.0.1:{free_port()}/14"):
            yield
    finally:
        if from_environment is not None:
            os.environ["CELERY_BROKER_URL"] = from_environment
        pools.reset()


def link_path(reminder, purpose) -> str:
    """The path of ``reminder``'s ``purpose`` link, as its message carries it (the codes come
    from the sender's own service, which makes them where missing and reuses them after)."""
    from urllib.parse import urlsplit

    from reminders.links import link_codes_issue, link_url

    return urlsplit(link_url(purpose, link_codes_issue([reminder])[reminder.pk][purpose])).path
