"""What the patient registry announces to the apps built on it (the mechanism: clinic/hooks.py).

Each hook names the modules that handle it; open those to see what follows a send."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clinic.hooks import Hook

from .models import Channel, Patient


@dataclass(frozen=True)
class ConsentWithdrawn:
    patient_id: int
    channel: Channel


# Sent by ``services.consent_withdraw`` inside its transaction, once the withdrawal is saved.
consent_withdrawn: Hook[ConsentWithdrawn] = Hook(
    "patients.consent_withdrawn", ConsentWithdrawn,
    handled_in=("reminders.handlers",),  # cancels the patient's pending reminders on that channel at once
)


@dataclass(frozen=True)
class PatientPageSection:
    template_name: str
    order: int


@dataclass
class PatientPage:
    """The patient page being put together for ``user``: each app built on patients adds its
    section (a template and the context it reads) with ``add_section``; the page shows them by
    ``order``. Sections today: appointments 10 (scheduling), treatment 20 (treatments), outcomes
    30 (outcomes, which reads the treatment section's context), reminders 40 (reminders)."""

    user: Any
    patient: Patient
    sections: list[PatientPageSection] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)

    def add_section(self, *, template_name: str, order: int, context: dict[str, Any] | None = None) -> None:
        clash = set(self.context) & set(context or {})
        if clash:
            raise ValueError(f"{template_name} would overwrite the page's {sorted(clash)}.")
        self.sections.append(PatientPageSection(template_name, order))
        self.context.update(context or {})

    def templates(self) -> list[str]:
        return [section.template_name for section in sorted(self.sections, key=lambda section: section.order)]


# Sent by ``views.PatientDetailView`` for every page view (no transaction: handlers only read).
patient_page: Hook[PatientPage] = Hook(
    "patients.patient_page", PatientPage,
    handled_in=("scheduling.handlers", "treatments.handlers", "outcomes.handlers", "reminders.handlers"),
)
