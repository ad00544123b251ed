"""Dose arithmetic: pure functions over sites and vials, saved or not.

A "site" is anything with ``units`` (an ``InjectionSite`` or a ``SiteInput``); a "vial row" anything
with ``vials_opened``, ``diluent_ml`` and ``lot.vial_units`` (a ``SessionVial`` or a ``VialInput``).
Units belong to one product and are never converted to another's (every toxin label: units "cannot be
compared to nor converted into units of any other botulinum toxin products").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

ZERO = Decimal("0")
# CMS discarded-drug policy for single-dose containers (CMS change request of 2 Jun 2023; CGS, Noridian):
JW = "JW"  # drug amount discarded/not administered to any patient
JZ = "JZ"  # zero drug amount discarded; required for dates of service on or after 1 Jul 2023


class _Lot(Protocol):
    vial_units: int


class SiteLike(Protocol):
    units: Decimal | None


class VialLike(Protocol):
    vials_opened: int
    diluent_ml: Decimal | None
    lot: _Lot


def format_units(units: Decimal | int | None) -> str:
    """'400', '7.5', '1.25': no trailing zeros, never scientific notation."""
    if units is None:
        return "–"
    text = f"{Decimal(units):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def units_label(units: Decimal | int | None, product) -> str:
    """'155 U Botox': every dose shown carries its product's name (units of one product cannot be
    compared to or converted into another's)."""
    return f"{format_units(units)} U {product.brand_name}"


def total_units(sites: Iterable[SiteLike]) -> Decimal:
    """Units given: the sum of the sites' doses (a blank dose counts as none)."""
    return sum((Decimal(site.units) for site in sites if site.units is not None), ZERO)


def units_opened(vials: Iterable[VialLike]) -> int:
    """Units in the vials opened: vials × units per vial of their lot."""
    return sum(vial.vials_opened * vial.lot.vial_units for vial in vials)


def units_discarded(*, opened: Decimal | int, given: Decimal) -> Decimal:
    """Opened minus given, never negative. Given > opened is an error the services reject
    (see ``units_exceed_opened``); here it reads as nothing discarded."""
    return max(Decimal(opened) - given, ZERO)


def units_exceed_opened(*, opened: Decimal | int, given: Decimal) -> bool:
    return given > Decimal(opened)


def units_per_tenth_ml(*, vial_units: int, diluent_ml: Decimal | None) -> Decimal | None:
    """Concentration in U per 0.1 mL: 100 U + 2 mL → 5.00 (BOTOX label dilution table, V).
    None when no diluent was added (a ready-to-use solution)."""
    if not diluent_ml:
        return None
    return (Decimal(vial_units) / Decimal(diluent_ml) / 10).quantize(Decimal("0.01"))


def discard_modifier(discarded: Decimal | int) -> str:
    """The claim modifier for the discarded amount: JW when some was discarded, JZ when none;
    never both on one claim line (CMS discarded-drug policy)."""
    return JW if discarded > 0 else JZ


@dataclass(frozen=True)
class DoseTotals:
    given: Decimal
    opened: int
    discarded: Decimal
    modifier: str
    exceeds_opened: bool


def dose_totals(*, sites: Iterable[SiteLike], vials: Iterable[VialLike]) -> DoseTotals:
    """Everything the session form shows under the sites table."""
    given, opened = total_units(sites), units_opened(vials)
    discarded = units_discarded(opened=opened, given=given)
    return DoseTotals(
        given=given, opened=opened, discarded=discarded, modifier=discard_modifier(discarded),
        exceeds_opened=units_exceed_opened(opened=opened, given=given),
    )


def session_dose_totals(session) -> DoseTotals:
    """``dose_totals`` of a saved session (prefetch ``sites`` and ``vials__lot`` for lists)."""
    return dose_totals(sites=session.sites.all(), vials=session.vials.all())
