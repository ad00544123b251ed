"""The treatment section of the patient page (templates/treatments/_patient_chart.html, added to the
page by treatments/handlers.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from accounts.roles import Role, has_role

from ..selectors import patient_chart, plan_list

DUE_SOON_DAYS = 14  # 'due soon' on the chart: two weeks gives the front desk time to book


def treatment_chart_context(*, user: Any, patient: Any) -> dict[str, Any]:
    """What the patient page shows of treatment, by role. Clinicians and managers get the whole
    chart; the front desk sees plans and their next due dates (to book the next visit) but no
    sessions or doses, which are not loaded at all for them. A fixed number of queries either way."""
    today = timezone.localdate()
    dates = {"treatment_today": today, "treatment_soon": today + dt.timedelta(days=DUE_SOON_DAYS)}
    if not has_role(user, [Role.CLINICIAN]):
        return {**dates, "treatment_clinical": False, "treatment_plans": list(plan_list(patient=patient))}
    chart = patient_chart(patient)
    lots: dict[int, dict[str, Any]] = {}
    for entry in chart.timeline:
        for lot in entry.lots:
            used = lots.setdefault(lot.pk, {"lot": lot, "dates": []})
            used["dates"].append(entry.date)
    return {
        **dates,
        "treatment_clinical": True,
        "treatment_plans": chart.plans,
        "treatment_timeline": chart.timeline,
        "treatment_lots": sorted(lots.values(), key=lambda used: max(used["dates"]), reverse=True),
    }
