"""The hook registry (clinic/hooks.py): handlers run in registration order, inside the sender's
transaction; an error stops the rest and rolls the sender's write back; a handler is registered
only from a module the hook names, and only once; and the project's hooks hold the handlers
their declarations name."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from clinic.hooks import Hook
from clinic.models import Heartbeat
from patients.hooks import consent_withdrawn, patient_page
from scheduling.hooks import appointment_changed
from treatments.hooks import plan_status_changed, session_signed

PROJECT_HOOKS = (consent_withdrawn, patient_page, appointment_changed, session_signed, plan_status_changed)
HERE = __name__


@dataclass(frozen=True)
class Happened:
    what: str


def _hook() -> Hook[Happened]:
    return Hook("tests.happened", Happened, handled_in=(HERE,))


def test_handlers_run_in_registration_order_with_the_event():
    hook, seen = _hook(), []

    @hook.handler
    def first(event: Happened) -> None:
        seen.append(("first", event.what))

    @hook.handler
    def second(event: Happened) -> None:
        seen.append(("second", event.what))

    hook.send(Happened("booked"))
    assert seen == [("first", "booked"), ("second", "booked")]
    assert hook.handlers == (first, second)


@pytest.mark.django_db(transaction=True)
def test_an_error_in_a_handler_stops_the_rest_and_rolls_back_the_senders_write():
    hook, seen = _hook(), []

    @hook.handler
    def writes(event: Happened) -> None:
        Heartbeat.objects.create(name=f"handler saw {event.what}", beat_at=timezone.now())

    @hook.handler
    def fails(event: Happened) -> None:
        raise RuntimeError("the reminders could not be brought up to date")

    @hook.handler
    def never_reached(event: Happened) -> None:
        seen.append(event)

    with pytest.raises(RuntimeError, match="could not be brought up to date"), transaction.atomic():
        Heartbeat.objects.create(name="the sender's write", beat_at=timezone.now())
        hook.send(Happened("booked"))

    assert seen == []
    assert not Heartbeat.objects.exists()  # neither the sender's row nor the handler's


def test_a_handler_from_a_module_the_hook_does_not_name_is_refused():
    hook = Hook("tests.happened", Happened, handled_in=("reminders.handlers",))

    def stray(event: Happened) -> None:
        pass

    with pytest.raises(ImproperlyConfigured, match="names its handlers' modules as reminders.handlers"):
        hook.handler(stray)
    assert hook.handlers == ()


def test_a_handler_registered_twice_is_refused():
    hook = _hook()

    def once(event: Happened) -> None:
        pass

    hook.handler(once)
    with pytest.raises(ImproperlyConfigured, match="already a handler"):
        hook.handler(once)
    assert hook.handlers == (once,)


def test_an_event_of_another_type_is_refused():
    with pytest.raises(TypeError, match="takes a Happened, not a str"):
        _hook().send("booked")


@pytest.mark.parametrize("hook", PROJECT_HOOKS, ids=lambda hook: hook.name)
def test_each_project_hook_holds_a_handler_from_every_module_it_names_and_from_no_other(hook):
    # Registered at start-up by each app's AppConfig.ready: the call site's hook names them all.
    assert sorted({handler.__module__ for handler in hook.handlers}) == sorted(hook.handled_in)


def test_signing_completes_the_appointment_before_the_reminders_look_at_the_plan():
    assert [handler.__module__ for handler in session_signed.handlers] == ["scheduling.handlers", "reminders.handlers"]
