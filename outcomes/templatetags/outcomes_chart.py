"""``{% outcomes_section %}``: the outcomes part of the patient page, fed by the treatment chart's
context (plans and the session timeline, already loaded) so that it adds a fixed four queries
(three for the scores, one for the next visit's questionnaire)."""

from __future__ import annotations

from typing import Any

from django import template

from ..instruments import INSTRUMENTS, QOL_CODES
from ..selectors import patient_outcomes, questionnaire_for_chart

register = template.Library()


@register.inclusion_tag("outcomes/_patient_outcomes.html", takes_context=True)
def outcomes_section(context: template.Context) -> dict[str, Any]:
    if not context.get("treatment_clinical"):
        return {"show": False}  # the front desk sees no scores, and none are loaded for them
    patient = context["patient"]
    outcomes = patient_outcomes(
        patient=patient, plans=context.get("treatment_plans", []), timeline=context.get("treatment_timeline", []),
    )
    return {
        "show": True, "patient": patient, "outcomes": outcomes, "user": context.get("user"),
        "user_roles": context.get("user_roles", frozenset()),
        "qol_instruments": [INSTRUMENTS[code] for code in QOL_CODES], "csrf_token": context.get("csrf_token"),
        "questionnaire": questionnaire_for_chart(patient=patient),
        "request": context.get("request"),
    }


@register.filter
def instrument_named(code: str):
    return INSTRUMENTS.get(code)
