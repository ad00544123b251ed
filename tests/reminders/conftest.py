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
    """

    def __init__(self) -> None:
        self.mode = "ok"
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
                    mode = gateway.mode
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
    settings.TWILIO_READ_TIMEOUT = 0.5
    settings.REMINDERS_PUBLIC_BASE_URL = "https://clinic.example"
    try:
        yield gateway
    finally:
        gateway.server.shutdown()
        gateway.server.server_close()
