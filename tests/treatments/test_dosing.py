"""Totals, wastage, concentration and the JW/JZ consequence, on unsaved input."""

from decimal import Decimal

import pytest

from tests.factories import VialLotFactory
from treatments.dosing import (
    JW,
    JZ,
    discard_modifier,
    dose_totals,
    format_units,
    total_units,
    units_discarded,
    units_opened,
    units_per_tenth_ml,
)

from .conftest import site, vial

pytestmark = pytest.mark.django_db


def test_total_is_the_sum_of_the_sites_and_a_blank_dose_counts_as_none():
    assert total_units([site(units="5"), site(units="2.5"), site(units=None)]) == Decimal("7.5")


def test_units_opened_is_vials_times_the_lots_vial_size(botox):
    lots = [VialLotFactory(product=botox, vial_units=200), VialLotFactory(product=botox, vial_units=100)]
    assert units_opened([vial(lots[0], vials_opened=2), vial(lots[1])]) == 500


def test_discarded_is_opened_minus_given_and_never_negative():
    assert units_discarded(opened=200, given=Decimal("155")) == Decimal("45")
    assert units_discarded(opened=100, given=Decimal("100")) == 0
    assert units_discarded(opened=100, given=Decimal("120")) == 0


@pytest.mark.parametrize(("vial_units", "diluent", "expected"), [
    (100, "1", "10.00"), (100, "2", "5.00"), (100, "4", "2.50"), (100, "8", "1.25"), (200, "4", "5.00"),
    (500, "2.5", "20.00"), (500, "1", "50.00"), (500, "5", "10.00"),
])
def test_concentration_per_tenth_ml_matches_the_clinical_dilution_tables(vial_units, diluent, expected):
    assert units_per_tenth_ml(vial_units=vial_units, diluent_ml=Decimal(diluent)) == Decimal(expected)


def test_no_diluent_means_no_concentration():
    assert units_per_tenth_ml(vial_units=5000, diluent_ml=None) is None


def test_jw_when_anything_is_discarded_and_jz_when_nothing_never_both():
    assert discard_modifier(Decimal("45")) == JW
    assert discard_modifier(Decimal("0.01")) == JW
    assert discard_modifier(0) == JZ


def test_dose_totals_flags_more_given_than_opened(botox):
    lot = VialLotFactory(product=botox, vial_units=100)
    totals = dose_totals(sites=[site(units=60), site(units=50)], vials=[vial(lot)])
    assert (totals.given, totals.opened, totals.discarded, totals.exceeds_opened) == (110, 100, 0, True)


def test_units_are_formatted_without_trailing_zeros():
    assert [format_units(Decimal(x)) for x in ("400.00", "7.50", "1.25", "10")] == ["400", "7.5", "1.25", "10"]
