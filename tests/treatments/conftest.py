"""Fixtures for treatments tests: seeded reference rows, a migraine plan, a lot, and helpers that
build the plain ``SessionInput`` a form would deliver."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tests.factories import TreatmentPlanFactory, VialLotFactory, seeded
from treatments.dosing import total_units
from treatments.inputs import SessionInput, SiteInput, VialInput
from treatments.safety import safety_check

CHICAGO = ZoneInfo("America/Chicago")


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A clinic-local (America/Chicago) moment."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=CHICAGO)


def muscle(name: str):
    return seeded("Muscle", name=name)


def site(name: str = "Temporalis", units: Decimal | int | str | None = 5, side: str = "left",
         guidance: str = "anatomical", points: int = 1) -> SiteInput:
    return SiteInput(muscle=muscle(name), side=side, units=None if units is None else Decimal(str(units)),
                     points=points, guidance=guidance)


# PREEMPT muscles in fill order, with the most each takes under the chronic-migraine protocol rules.
_MIGRAINE_MUSCLES = [("Temporalis", 80), ("Occipitalis", 70), ("Trapezius", 70), ("Frontalis", 20),
                     ("Cervical paraspinal", 20), ("Corrugator", 10)]


def migraine_sites(total: Decimal | int | str) -> list[SiteInput]:
    """``total`` units of Botox for chronic migraine as the protocol gives them: 5 U sites, left and
    right, no muscle over its protocol dose, so that no chronic-migraine warning speaks below 155 U."""
    sites, left = [], Decimal(str(total))
    for name, most in _MIGRAINE_MUSCLES:
        for n in range(most // 5):
            if left <= 0:
                return sites
            sites.append(site(name, min(left, Decimal(5)), side=("left", "right")[n % 2]))
            left -= min(left, Decimal(5))
    if left > 0:
        raise ValueError(f"{total} U is more than the protocol muscles take")
    return sites


def vial(lot, vials_opened: int = 1, diluent_ml: Decimal | str | None = "2",
         reconstituted_at: dt.datetime | None = None) -> VialInput:
    return VialInput(lot=lot, vials_opened=vials_opened, diluent_ml=None if diluent_ml is None else Decimal(diluent_ml),
                     reconstituted_at=reconstituted_at)


def session_input(*, performed_at: dt.datetime, product, sites, vials, weight=None, **extra) -> SessionInput:
    vials = [v if v.reconstituted_at else VialInput(v.lot, v.vials_opened, v.diluent_ml, performed_at) for v in vials]
    return SessionInput(performed_at=performed_at, product=product, patient_weight_kg=weight, sites=list(sites),
                        vials=vials, **extra)


@pytest.fixture
def botox(db):
    return seeded("Product", code="botox")


@pytest.fixture
def xeomin(db):
    return seeded("Product", code="xeomin")


@pytest.fixture
def migraine_plan(clinician_user):
    return TreatmentPlanFactory(responsible_clinician=clinician_user)


@pytest.fixture
def botox_lot(botox):
    return VialLotFactory(product=botox, vial_units=200, quantity_received=20, expiry_date=dt.date(2099, 12, 31))


def enough_vials(*, product, sites, performed_at) -> list[VialInput]:
    """One unexpired lot of ``product`` with enough 100 U vials opened for the sites' total."""
    lot = VialLotFactory(product=product, vial_units=100, quantity_received=500, expiry_date=dt.date(2099, 1, 1))
    needed = max(1, math.ceil(total_units(sites) / 100))
    return [VialInput(lot=lot, vials_opened=needed, diluent_ml=Decimal("2"), reconstituted_at=performed_at)]


def check(plan, performed_at: dt.datetime, sites, *, vials=None, weight=None, product=None, exclude=None):
    """Run the safety check on plain input, as the session form does while editing."""
    product = product or plan.product
    if vials is None:
        vials = enough_vials(product=product, sites=sites, performed_at=performed_at)
    return safety_check(patient=plan.patient, plan=plan, product=product, performed_at=performed_at, sites=sites,
                        vials=vials, patient_weight_kg=weight, exclude_session_id=exclude)


def codes(report) -> set[str]:
    return {finding.code for finding in report.findings}
