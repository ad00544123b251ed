"""Helpers shared by the treatments page tests: a scene with one of everything, and the POST
data the session editor sends."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tests.factories import InjectionSessionFactory, TreatmentPlanFactory, VialLotFactory, signed_session_make
from treatments.models import InjectionSession, TreatmentPlan, VialLot


@dataclass
class Scene:
    plan: TreatmentPlan
    draft: InjectionSession
    signed: InjectionSession
    lot: VialLot


def scene_make(clinician) -> Scene:
    plan = TreatmentPlanFactory(responsible_clinician=clinician)
    lot = VialLotFactory(vial_units=200, quantity_received=10)
    signed = signed_session_make(plan=plan, performed_at=timezone.now() - dt.timedelta(days=90))
    draft = InjectionSessionFactory(plan=plan, clinician=clinician, created_by=clinician)
    return Scene(plan=plan, draft=draft, signed=signed, lot=lot)


def local(moment: dt.datetime) -> str:
    """How a datetime-local input sends a clinic-local time."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def editor_data(*, session: InjectionSession, sites: list[tuple[Any, ...]], vials: list[tuple[Any, ...]],
                performed_at: dt.datetime | None = None, initial_sites: int | None = None, **header: Any
                ) -> dict[str, str]:
    """POST data as the editor sends it. ``sites``: (muscle, side, units[, points, guidance]);
    ``vials``: (lot, vials_opened, diluent_ml[, reconstituted_at])."""
    when = performed_at or session.performed_at
    data = {
        "session-performed_at": local(when), "session-product": str(session.product_id),
        "session-adverse_events": header.pop("adverse_events", "none"), "session-notes": header.pop("notes", ""),
        "vials-TOTAL_FORMS": str(len(vials)), "vials-INITIAL_FORMS": "0",
        "vials-MIN_NUM_FORMS": "0", "vials-MAX_NUM_FORMS": "10",
        "sites-TOTAL_FORMS": str(len(sites)),
        "sites-INITIAL_FORMS": str(len(sites) if initial_sites is None else initial_sites),
        "sites-MIN_NUM_FORMS": "0", "sites-MAX_NUM_FORMS": "80",
    }
    data.update({f"session-{k}": str(v) for k, v in header.items()})
    for i, (lot, count, diluent, *rest) in enumerate(vials):
        data.update({f"vials-{i}-lot": str(lot.pk), f"vials-{i}-vials_opened": str(count),
                     f"vials-{i}-diluent_ml": "" if diluent is None else str(diluent),
                     f"vials-{i}-reconstituted_at": local(rest[0]) if rest else ""})
    for i, (muscle, side, units, *rest) in enumerate(sites):
        points, guidance = (rest + [1, "anatomical"][len(rest):])[:2]
        data.update({f"sites-{i}-muscle": str(muscle.pk), f"sites-{i}-side": side,
                     f"sites-{i}-units": "" if units is None else str(units),
                     f"sites-{i}-points": str(points), f"sites-{i}-guidance": guidance})
    return data


def saved_sites(session: InjectionSession) -> list[tuple[Any, ...]]:
    return [(s.muscle, s.side, s.units) for s in session.sites.select_related("muscle").order_by("order", "id")]


def total(session: InjectionSession) -> Decimal:
    return sum((s.units or Decimal(0) for s in session.sites.all()), Decimal(0))
