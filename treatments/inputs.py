"""Plain input for a session, as a form delivers it: the safety check and dosing work on these
before anything is saved, so the clinician sees totals and warnings while editing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from .models import Guidance, Muscle, Product, Side, VialLot


@dataclass(frozen=True)
class SiteInput:
    muscle: Muscle
    side: Side | str
    units: Decimal | None  # None only in a draft whose dose is not set yet
    points: int = 1
    guidance: Guidance | str = Guidance.ANATOMICAL


@dataclass(frozen=True)
class VialInput:
    lot: VialLot
    vials_opened: int
    diluent_ml: Decimal | None
    reconstituted_at: dt.datetime


@dataclass(frozen=True)
class SessionInput:
    performed_at: dt.datetime
    product: Product
    patient_weight_kg: Decimal | None = None
    adverse_events: str = ""
    notes: str = ""
    sites: list[SiteInput] = field(default_factory=list)
    vials: list[VialInput] = field(default_factory=list)
