"""What the treatments app announces to the apps built on it (the mechanism: clinic/hooks.py).

Each hook names the modules that handle it; open those to see what follows a send."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clinic.hooks import Hook

from .models import InjectionSession, PlanStatus


@dataclass(frozen=True)
class SessionSigned:
    actor: Any
    session: InjectionSession


# Sent by ``services.session_sign`` inside its transaction, once the session is signed and audited.
session_signed: Hook[SessionSigned] = Hook(
    "treatments.session_signed", SessionSigned,
    handled_in=(
        "scheduling.handlers",  # completes the checked-in injection appointment the session records
        "reminders.handlers",  # the next cycle starts: the old cycle's reminders stop
    ),
)


@dataclass(frozen=True)
class PlanStatusChanged:
    plan_id: int
    status: PlanStatus


# Sent by ``services.plan_set_status`` inside its transaction when a plan is paused, resumed or ended.
plan_status_changed: Hook[PlanStatusChanged] = Hook(
    "treatments.plan_status_changed", PlanStatusChanged,
    handled_in=("reminders.handlers",),  # a pause or end stops pending cycle reminders at once
)
